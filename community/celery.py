"""The Celery application. Workers: `make worker`; the periodic sweeper: `make beat`."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")

app = Celery("tribune")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
@signals.task_postrun.connect
def _drop_stale_connections(**kwargs):
    """Like Django around a request: close connections past DB_CONN_MAX_AGE or left unusable (a
    database restart), so that reused connections never outlive their welcome."""
    task = kwargs.get("task") or kwargs.get("sender")
    if getattr(getattr(task, "request", None), "is_eager", False):
        return  # inside a request or a test: Django manages that connection
    from django.db import close_old_connections

    close_old_connections()
