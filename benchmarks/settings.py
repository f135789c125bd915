"""The application's own settings, with what only a benchmark on one small machine may change."""

from pixorga.settings import *  # noqa: F403
from pixorga.settings import BASE_DIR

# PBKDF2 costs about 0.25 s of CPU a login on purpose: 300 pupils logging in within a minute on 2 cores
# would measure the hasher, not the sending. The load test times the POST of the sending, not the login.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Collected apart from a developer's own `staticfiles/`, so that DEBUG=0 finds its manifest.
STATIC_ROOT = BASE_DIR / "benchmarks" / ".staticfiles"
