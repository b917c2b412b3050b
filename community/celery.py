"""The Celery application. Workers: `make worker`; the periodic sweeper: `make beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")

app = Celery("tribune")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
