"""The signed-in member's row from the cache on every request, instead of a query (issue 16).

Every request of a member loads their row (Django's authentication middleware: one query, and the
ORM's work to build it). It changes rarely — a profile edit, a sanction, a login — so it is kept
in the cache under the member's id with a generation counter, as their grants are
(community.permissions.grants): the counter moves on every write to the row, at once and again
after the writer's commit, and an entry is used only under the counter it was stored with.

Writes that move the counter: `save()` and `delete()` of a user (signals), and `update()` /
`bulk_update()` on the user table (community.models.UserQuerySet sends `user_rows_written`
with the rows it touches). Code
writing the table in raw SQL must call `changed(ids)`.

Authentication itself is Django's: the session's backend must still be configured, the backend
still says whether the account may sign in (`user_can_authenticate`: `is_active`), and the
session's hash must match the row's (a password change signs other sessions out). A cached row
whose hash does not match is read again from the database before the session is refused, so a
stale entry can never sign anyone out — or in. With no cache, every request queries as before.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from . import pagecache
from .permissions import grants

log = logging.getLogger(__name__)

TTL = 15 * 60  # bounds how long a row could outlive a write whose retirement Redis missed (an outage)


def _keys(user_id) -> tuple[str, str]:
    return f"signed-in:{user_id}", f"signed-in:gen:{user_id}"


GEN_TTL = 4 * TTL  # a counter outlives every row stored under an older value of it


def _move(keys: list[str]) -> None:
    """Give each counter a value never seen before, in one round trip however many members (a
    notification fan-out changes thousands of bells at once)."""
    try:
        token = uuid.uuid4().hex
        cache.set_many(dict.fromkeys(keys, token), GEN_TTL)
    except Exception:
        log.warning("could not retire cached member rows", exc_info=True)


def changed(user_ids) -> None:
    """These members' rows changed: their cached rows are not used again (at once, and after the
    writer's commit: a request that read the old row between the two stored it under the first
    value, which the second retires)."""
    keys = [_keys(pk)[1] for pk in set(user_ids) if pk is not None]
    if keys:
        _move(keys)
        transaction.on_commit(lambda: _move(keys))


def _fields(model):
    return [field.attname for field in model._meta.concrete_fields]


def _cached_row(request, user_id):
    """(the user from the cache or None, the generation to store a fresh row under)."""
    row_key, gen_key = _keys(user_id)
    display_key = pagecache.generation_key(pagecache.DISPLAY)
    try:  # the member's grants and the fragments' DISPLAY generation in the same round trip
        found = cache.get_many([row_key, gen_key, *grants.cache_keys(user_id), display_key])
    except Exception:
        log.warning("signed-in cache unreachable", exc_info=True)
        return None, None
    request._display_generation = found.get(display_key, 0)  # community.fragments reads it
    generation = found.get(gen_key)
    if generation is None:  # never set, or evicted: a value of its own first (no entry matches it)
        try:
            cache.add(gen_key, uuid.uuid4().hex, GEN_TTL)
            generation = cache.get(gen_key)
        except Exception:
            log.warning("signed-in cache unreachable", exc_info=True)
        return None, generation
    entry = found.get(row_key)
    if entry is None or entry[0] != generation:
        return None, generation
    model = auth.get_user_model()
    names = _fields(model)
    if len(entry[1]) != len(names):  # stored by another version of the model
        return None, generation
    user = model.from_db("default", names, entry[1])
    if user.pk != user_id:
        return None, generation
    user._cached_grants = grants.from_found(user_id, found)  # None: MemberState asks grants_of
    return user, generation


def _store(user, generation) -> None:
    if not generation:
        return
    try:
        cache.set(_keys(user.pk)[0], (generation, tuple(getattr(user, name) for name in _fields(type(user)))), TTL)
    except Exception:
        log.warning("signed-in cache unreachable", exc_info=True)


def _hash_matches(request, user) -> bool:
    expected = request.session.get(auth.HASH_SESSION_KEY)
    return bool(expected) and constant_time_compare(expected, user.get_session_auth_hash())


def get_user(request):
    """Django's `auth.get_user`, with the row from the cache when the session's hash matches it."""
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = request.session[auth.BACKEND_SESSION_KEY]
    except (KeyError, ValueError, TypeError):
        return auth.get_user(request)  # Django decides (an anonymous or a broken session)
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    backend = auth.load_backend(backend_path)
    if not isinstance(backend, ModelBackend):
        return auth.get_user(request)
    if not settings.MEMBER_CACHE:
        return auth.get_user(request)
    user, generation = _cached_row(request, user_id)
    if user is not None and _hash_matches(request, user):
        return user if backend.user_can_authenticate(user) else AnonymousUser()
    user = auth.get_user(request)  # the database: verification, fallback secrets, flush, all Django's
    if user.is_authenticated:
        _store(user, generation)
    return user


class CachedUserAuthenticationMiddleware(AuthenticationMiddleware):
    """django.contrib.auth's middleware, the member's row read through `get_user` above."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user_of(request))


def _user_of(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user


def _row_written(sender, instance, **kwargs):
    changed([instance.pk])


def _rows_written(sender, ids, **kwargs):
    changed(ids)


def connect() -> None:
    from .models import user_rows_written

    model = auth.get_user_model()
    post_save.connect(_row_written, sender=model, dispatch_uid="signed-in-saved")
    post_delete.connect(_row_written, sender=model, dispatch_uid="signed-in-deleted")
    user_rows_written.connect(_rows_written, dispatch_uid="signed-in-updated")
