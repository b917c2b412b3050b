"""The workspace's Django admin pages, one module per area."""

from .casting import admin as casting_admin  # noqa: F401
from .curation import admin as curation_admin  # noqa: F401
from .health import admin as health_admin  # noqa: F401
from .mediation import admin as mediation_admin  # noqa: F401
from .scouting import admin as scouting_admin  # noqa: F401
