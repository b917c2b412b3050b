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


@signals.task_prerun.connect
def _fresh_content_types_under_tests(**kwargs):
    """The integration tests flush the tables between tests, and post_migrate recreates content types
    with new ids: a worker process that outlives a test must not keep the old ids in ContentType's
    cache (an event then names a content type that no longer exists). In production content types
    are never deleted, so the cache stays."""
    task = kwargs.get("task") or kwargs.get("sender")
    if getattr(getattr(task, "request", None), "is_eager", False):
        return
    from django.conf import settings

    if settings.TESTING:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
