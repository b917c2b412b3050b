"""The scouting area's Celery tasks."""

__all__ = []
