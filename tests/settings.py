"""The tests run on the development settings (DEBUG=1: static files without collectstatic, no HTTPS
redirect for the test client); tests/pixorga/test_deploy.py checks the production ones in a subprocess."""

import os

os.environ.setdefault("DEBUG", "1")

from pixorga.settings import *  # noqa: F403
