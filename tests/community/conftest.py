"""Unit layer (SQLite in memory, Celery eager): each test starts from a clean slate."""

import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _fresh_cache_and_language():
    """allauth's rate limits live in the local-memory cache, and a request may leave French
    active in the thread: neither may leak from one test into the next."""
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Real hashers take a third of a second per login; the login flows are not about hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
