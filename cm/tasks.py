"""The workspace's Celery tasks (found by autodiscovery here), one module per area."""

from .casting.tasks import *  # noqa: F401,F403
from .scouting.tasks import *  # noqa: F401,F403
