"""Imports every module of the wiki that registers something in ready(): one line per area, so
that the areas never edit the same line. Each module registers at import time."""

from . import (  # noqa: F401
    activity,
    demo,
    featuring,
    health,
    home,
    notifications,
    talent,
)
