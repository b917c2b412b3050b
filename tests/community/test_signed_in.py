"""community.signed_in: the signed-in member's row comes from the cache — and every write to it,
through save(), update() or a sanction, shows on the very next request."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community import signed_in
from moderation.sanctions import sanction_member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def _user_queries(ctx):
    return [q["sql"] for q in ctx.captured_queries if 'FROM "community_user"' in q["sql"]
            and '"community_user"."password"' in q["sql"]]


def _home(client):
    return client.get(reverse("forums:index"))


def test_the_row_is_read_once_then_from_the_cache(client, member):
    client.force_login(member)
    with CaptureQueriesContext(connection) as first:
        assert _home(client).context["user"] == member
    with CaptureQueriesContext(connection) as second:
        response = _home(client)
    assert len(_user_queries(first)) == 1
    assert _user_queries(second) == []
    assert response.context["user"].username == member.username
    assert response.context["user"].is_authenticated


def test_a_saved_change_shows_at_once(client, member):
    client.force_login(member)
    _home(client)
    member.display_name = "Renamed Member"
    member.save()
    assert "Renamed Member" in _home(client).content.decode()


def test_an_update_that_bypasses_save_shows_at_once(client, member):
    client.force_login(member)
    _home(client)
    User.objects.filter(pk=member.pk).update(is_active=False)
    assert not _home(client).context["user"].is_authenticated
    User.objects.filter(username=member.username).update(is_active=True)  # named by another field
    client.force_login(member)
    assert _home(client).context["user"].is_authenticated


def test_a_ban_signs_the_member_out_on_the_next_request(client, member, cm):
    client.force_login(member)
    _home(client)
    sanction_member(actor=cm, member=member, kind="ban", reason="Spam, again.")
    response = client.get(reverse("forums:index"), follow=True)
    assert not response.context["user"].is_authenticated


def test_a_password_change_signs_other_sessions_out(client, member):
    client.force_login(member)
    _home(client)
    member.set_password("a-new-password-of-some-length")
    member.save()
    assert not _home(client).context["user"].is_authenticated


@pytest.mark.parametrize("stale", ["another member's row", "another password"])
def test_a_stale_entry_is_read_again_never_trusted_against_the_session(client, member, stale):
    """A cached row that is not the session's member, or whose password hash does not match the
    session (a database re-seeded under the cache), is read again from the database: the member
    stays signed in as themselves."""
    client.force_login(member)
    _home(client)
    other = UserFactory()  # the same password as `member` (the factory's)
    if stale == "another password":
        other.pk = member.pk
        other.set_password("not the member's password at all")
    row_key, gen_key = signed_in._keys(member.pk)
    cache.set(row_key, (cache.get(gen_key, 0), tuple(getattr(other, name) for name in signed_in._fields(User))))
    response = _home(client)
    assert response.context["user"].pk == member.pk
    assert response.context["user"].username == member.username


def test_with_the_cache_down_every_request_queries(client, member, monkeypatch):
    client.force_login(member)

    class Down:
        def get_many(self, *args, **kwargs):
            raise ConnectionError("cache down")

        set = get_many

    monkeypatch.setattr(signed_in, "cache", Down())
    with CaptureQueriesContext(connection) as ctx:
        assert _home(client).context["user"] == member
    assert len(_user_queries(ctx)) == 1


def test_grants_read_with_the_row_follow_a_new_role_at_once(client, member):
    """The member's grants come in the same cache round trip as their row: a role given between two
    requests shows on the second."""
    from django.contrib.auth.models import Group

    from community.permissions import Role

    client.force_login(member)
    assert reverse("cm:dashboard") not in _home(client).content.decode()
    assert reverse("cm:dashboard") not in _home(client).content.decode()  # row and grants cached
    member.groups.add(Group.objects.get(name=Role.COMMUNITY_MANAGER))
    assert reverse("cm:dashboard") in _home(client).content.decode()
    member.groups.clear()
    assert reverse("cm:dashboard") not in _home(client).content.decode()


def test_a_bell_moved_by_a_fan_out_shows_on_the_next_page(client, member):
    client.force_login(member)
    assert "has-unread" not in _home(client).content.decode()
    User.objects.filter(pk__in=[member.pk]).update_known([member.pk], unread_notifications=3)
    assert "3 unread notifications" in _home(client).content.decode()


def test_without_a_shared_cache_every_request_reads_the_row(client, member, settings):
    """A local-memory cache is each process's own: a sanction made in one process must reach the
    others at once, so the row and grants are read from the database (settings.MEMBER_CACHE)."""
    settings.MEMBER_CACHE = False
    client.force_login(member)
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            assert _home(client).context["user"] == member
        assert len(_user_queries(ctx)) == 1
        assert any("auth_group" in q["sql"] for q in ctx.captured_queries)  # the grants, too


def test_an_evicted_counter_never_revives_an_old_entry(client, member):
    client.force_login(member)
    _home(client)
    _home(client)
    row_key, gen_key = signed_in._keys(member.pk)
    cache.delete(gen_key)  # evicted alone (an LRU cache under memory pressure)
    with CaptureQueriesContext(connection) as ctx:
        _home(client)
    assert len(_user_queries(ctx)) == 1
    with CaptureQueriesContext(connection) as ctx:
        _home(client)
    assert _user_queries(ctx) == []
