"""The Django admin of the forums: every list and form opens for staff, and a forum saved there
goes through services.save_forum (read levels of the subtree follow)."""

import pytest

from forums import services
from forums.models import Access, Forum
from tests.factories import ForumFactory, ReplyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_every_forum_admin_page_opens_for_staff(staff_client, topic, member, cm):
    reply = ReplyFactory(topic=topic, author=member)
    services.set_pinned(actor=cm, topic=topic, pinned=True)
    services.edit_post(actor=member, post=reply, body="Edited once")

    for url in ("/admin/forums/forum/", f"/admin/forums/forum/{topic.forum_id}/change/", "/admin/forums/forum/add/",
                "/admin/forums/topic/", f"/admin/forums/topic/{topic.pk}/change/",
                "/admin/forums/post/", f"/admin/forums/post/{reply.pk}/change/", "/admin/forums/post/?q=Edited",
                "/admin/forums/moderationlogentry/"):
        assert staff_client.get(url).status_code == 200, url


def test_a_member_cannot_open_the_forum_admin(member_client, forum):
    response = member_client.get("/admin/forums/forum/")

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_restricting_a_category_in_the_admin_restricts_the_forums_below(staff_client, category, forum):
    sub = ForumFactory(parent=forum, name="Below")

    response = staff_client.post(f"/admin/forums/forum/{category.pk}/change/", {
        "name": category.name, "slug": category.slug, "description": "", "is_category": "on",
        "position": 0, "access": Access.COMMUNITY_MANAGERS,
    })

    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(Forum.objects.filter(pk__in=[category.pk, forum.pk, sub.pk]).values_list("read_level", flat=True)) \
        == [Access.COMMUNITY_MANAGERS] * 3
