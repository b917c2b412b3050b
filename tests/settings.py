"""The project's settings plus the test-only apps under tests/apps/ (each a plug-in that proves
something: tests/apps/shouts is a content kind that plugs into the spine by registering only).
Every pytest layer runs with these settings (pyproject.toml); a new test app is a new folder."""

from pathlib import Path

from community.settings import *  # noqa: F401,F403
from community.settings import INSTALLED_APPS

TEST_APPS = sorted(f"tests.apps.{path.parent.name}" for path in (Path(__file__).parent / "apps").glob("*/apps.py"))
INSTALLED_APPS = [*INSTALLED_APPS, *TEST_APPS]
# Each test runs in one process: its local-memory cache is shared by everything the test does.
MEMBER_CACHE = True
