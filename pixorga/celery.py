"""The Celery application: imports, e-mails and nightly jobs run here, on Redis in production.

Without a broker (the embedded default, `make run` on SQLite) settings make every task run in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixorga.settings")

app = Celery("pixorga")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
