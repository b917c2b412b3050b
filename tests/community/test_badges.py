"""Role badges beside a member's name (community.badges): every role, gone when the role goes,
and no query per post — the map of badged members is read once per request from the cache."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from community import badges
from community.permissions import Role
from tests.factories import ReplyFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

MARKUP = {
    "cm": '<span class="badge role role-community-manager">Community manager</span>',
    "staff": '<span class="badge role role-staff">Staff</span>',
    "contributor": '<span class="badge role role-contributor">Featured contributor</span>',
    "guest": '<span class="badge role role-guest-expert">Guest expert</span>',
}


@pytest.fixture
def people(db):
    return {
        "cm": UserFactory(username="carla", roles=[Role.COMMUNITY_MANAGER]),
        "staff": UserFactory(username="stan", is_staff=True),
        "contributor": UserFactory(username="cora", roles=[Role.CONTRIBUTOR]),
        "guest": UserFactory(username="gus", roles=[Role.GUEST_EXPERT]),
        "plain": UserFactory(username="paul"),
    }


@pytest.mark.parametrize("who", ["cm", "staff", "contributor", "guest"])
def test_each_role_shows_its_badge_on_forum_posts_and_the_profile(client, people, who):
    topic = TopicFactory(author=people["plain"])
    ReplyFactory(topic=topic, author=people[who], body="Words of a badged member")

    topic_page = client.get(topic.get_absolute_url()).content.decode()
    profile = client.get(people[who].get_absolute_url()).content.decode()

    assert MARKUP[who] in topic_page and MARKUP[who] in profile
    for other in set(MARKUP) - {who}:
        assert MARKUP[other] not in topic_page
    assert 'class="badge role' not in client.get(people["plain"].get_absolute_url()).content.decode()


def test_a_member_with_two_roles_shows_both_in_a_fixed_order(people):
    people["contributor"].groups.add(Group.objects.get(name=Role.GUEST_EXPERT))

    assert [b.slug for b in badges.badges_for(people["contributor"])] == ["contributor", "guest-expert"]


def test_badges_follow_roles_given_and_taken_every_way(people):
    plain, guests = people["plain"], Group.objects.get(name=Role.GUEST_EXPERT)
    contributors = Group.objects.get(name=Role.CONTRIBUTOR)
    assert badges.badges_for(plain) == []

    plain.groups.add(guests)  # what casting does
    assert [b.slug for b in badges.badges_for(plain)] == ["guest-expert"]
    plain.groups.remove(guests)
    assert badges.badges_for(plain) == []

    contributors.user_set.add(plain)  # from the group's side
    assert [b.slug for b in badges.badges_for(plain)] == ["contributor"]
    plain.groups.clear()
    assert badges.badges_for(plain) == []

    plain.is_staff = True
    plain.save()
    assert [b.slug for b in badges.badges_for(plain)] == ["staff"]
    plain.is_staff = False
    plain.save(update_fields=["is_staff"])
    assert badges.badges_for(plain) == []

    people["cm"].is_active = False
    people["cm"].save()
    assert badges.badges_for(people["cm"]) == []


def test_the_badge_leaves_the_page_when_the_role_is_removed(client, people, django_capture_on_commit_callbacks):
    topic = TopicFactory(author=people["plain"])
    ReplyFactory(topic=topic, author=people["guest"])
    assert MARKUP["guest"] in client.get(topic.get_absolute_url()).content.decode()  # (now in the page cache)

    with django_capture_on_commit_callbacks(execute=True):
        people["guest"].groups.remove(Group.objects.get(name=Role.GUEST_EXPERT))

    assert MARKUP["guest"] not in client.get(topic.get_absolute_url()).content.decode()
    assert MARKUP["guest"] not in client.get(people["guest"].get_absolute_url()).content.decode()


def test_joining_the_members_group_costs_no_query_once_the_map_is_warm(people, django_assert_num_queries):
    badges.current()
    newcomer = UserFactory.build(username="newcomer")
    newcomer.save()
    members = Group.objects.get(name=Role.MEMBER)

    with django_assert_num_queries(2):  # Django's look-up of existing rows and the INSERT; no rebuild
        newcomer.groups.add(members)


def test_a_cold_map_is_built_by_one_query_then_read_from_the_cache(people, django_assert_num_queries):
    cache.delete(badges.CACHE_KEY)

    with django_assert_num_queries(1):
        assert [b.slug for b in badges.badges_for(people["cm"])] == ["community-manager"]
    with django_assert_num_queries(0):
        assert [b.slug for b in badges.badges_for(people["staff"])] == ["staff"]


def _topic_with(replies, authors):
    topic = TopicFactory(author=authors[0])
    for n in range(replies):
        ReplyFactory(topic=topic, author=authors[n % len(authors)])
    return topic


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_badged_posts_cost_no_query_per_post(client, people, django_assert_num_queries, who):
    authors = [people["cm"], people["staff"], people["contributor"], people["guest"]]
    one = _topic_with(0, authors)
    many = _topic_with(19, authors)
    if who == "member":
        client.force_login(people["plain"])

    def count(topic):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            page = client.get(topic.get_absolute_url()).content.decode()
        return len(captured), page

    if who == "member":
        client.get("/forums/")  # warm: a member's grants are read once, then cached (permissions.grants)
    few, page_one = count(one)
    lots, page_many = count(many)

    assert few == lots
    assert page_many.count('class="badge role ') == 20 and page_one.count('class="badge role ') == 1


def test_the_badges_of_a_space_post_byline_and_its_comments(client, cm):
    from blogs import comments
    from blogs.services import create_space

    owner = UserFactory(username="owen", roles=[Role.CONTRIBUTOR])
    guest = UserFactory(username="gina", roles=[Role.GUEST_EXPERT])
    space = create_space(actor=cm, owner=owner, kind="podcast", title="Owen's show")
    from blogs.models import SpacePostPage

    post = SpacePostPage(title="Episode one")
    space.add_child(instance=post)
    post.save_revision(user=owner).publish(user=owner)
    post.refresh_from_db()
    comments.add_comment(actor=guest, post=post, body="A guest's comment")

    page = client.get(post.url).content.decode()

    assert MARKUP["contributor"] in page and MARKUP["guest"] in page
    assert MARKUP["contributor"] in client.get(space.url).content.decode()
