"""The casting area's Celery tasks."""

__all__ = []
