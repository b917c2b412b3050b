"""A member's grants (groups, capabilities, moderated forums) come from the cache
(community.permissions.grants) — and a change shows on the member's very next request: cast as a
CM, made a forum's moderator, a group's capability removed, dropped from a group."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.permissions import grants as grants_module
from community.permissions.core import MODERATE
from community.permissions.grants import grants_of
from tests.factories import ForumFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

MODERATION_LINK = 'href="/moderation/"'


def page(client, url="/forums/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_grants_cost_one_query_cold_and_none_warm(member):
    with CaptureQueriesContext(connection) as cold:
        first = grants_of(member.pk)
    with CaptureQueriesContext(connection) as warm:
        again = grants_of(member.pk)

    assert len(cold) == 1 and len(warm) == 0
    assert first == again and "Members" in first.roles


def test_a_member_cast_as_community_manager_sees_moderation_at_once(client, member,
                                                                    django_capture_on_commit_callbacks):
    client.force_login(member)
    assert MODERATION_LINK not in page(client)  # their grants are now in the cache

    with django_capture_on_commit_callbacks(execute=True):
        member.groups.add(Group.objects.get(name="Community managers"))

    assert MODERATION_LINK in page(client)


def test_a_community_manager_dropped_from_the_group_loses_moderation_at_once(client, cm):
    client.force_login(cm)
    assert MODERATION_LINK in page(client)

    Group.objects.get(name="Community managers").user_set.remove(cm)  # from the group's side

    assert MODERATION_LINK not in page(client)
    assert client.get("/moderation/").status_code in (302, 403)


def test_a_group_losing_a_capability_loses_it_for_its_members_at_once(client, cm):
    client.force_login(cm)
    assert MODERATION_LINK in page(client)

    Group.objects.get(name="Community managers").permissions.remove(Permission.objects.get(codename=MODERATE))

    assert MODERATION_LINK not in page(client)


def test_a_member_made_moderator_of_a_forum_gets_its_tools_at_once(client, member):
    forum = ForumFactory(name="Help")
    topic = TopicFactory(forum=forum)
    client.force_login(member)
    assert "Moderator tools" not in page(client, topic.get_absolute_url())

    forum.moderators.add(member)
    assert "Moderator tools" in page(client, topic.get_absolute_url())

    member.moderated_forums.remove(forum)  # from the member's side
    assert "Moderator tools" not in page(client, topic.get_absolute_url())


def test_grants_read_before_a_commit_are_not_used_after_it(member, django_capture_on_commit_callbacks):
    """Another request reads the grants while the writer's transaction is still open (it sees the old
    groups) and keeps them under the counter's first bump: the bump after commit makes them obsolete."""
    cms = Group.objects.get(name="Community managers")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        member.groups.add(cms)
    # What a concurrent reader would have kept: the old grants, under the counter as it is now.
    data_key, gen_key = grants_module._keys(member.pk)
    stale = grants_module.Grants(roles=frozenset({"Members"}), codenames=frozenset(), moderated_forum_ids=frozenset())
    cache.set(data_key, ((cache.get(gen_key, 0), cache.get(grants_module.SITE_GEN, 0)), stale))
    assert grants_of(member.pk) == stale

    for callback in callbacks:  # the writer commits
        callback()

    assert "Community managers" in grants_of(member.pk).roles


def test_a_user_whose_grants_are_unknown_to_the_cache_still_gets_them(member):
    other = UserFactory(roles=["Contributors"])
    cache.clear()

    assert "Contributors" in grants_of(other.pk).roles and "Contributors" not in grants_of(member.pk).roles
