"""The workspace's models, one module per area."""

from .casting import *  # noqa: F401,F403
from .curation import *  # noqa: F401,F403
from .health import *  # noqa: F401,F403
from .mediation import *  # noqa: F401,F403
from .scouting import *  # noqa: F401,F403
