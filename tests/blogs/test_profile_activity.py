"""A member's spaces, the posts in them and their comments on their public profile
(community.activity, blogs/activity.py): drafts, private and held posts and removed comments never
shown to who may not read them; a fixed number of queries."""

import pytest
from wagtail.models import PageViewRestriction

from blogs import comments as svc
from blogs.models import Comment, SpacePostPage
from community import spaces
from community.models import Visibility
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def tab(client, member, name, **params):
    extra = "".join(f"&{key}={value}" for key, value in params.items())
    return client.get(f"{member.get_absolute_url()}?tab={name}{extra}")


def test_the_spaces_a_member_holds_are_listed(client, alice, space_a, make_space):
    make_space(UserFactory(), title="Somebody else's space")

    page = tab(client, alice, "blogs.spaces").content.decode()

    assert "Alice&#x27;s column" in page and "Somebody else" not in page


def test_posts_in_their_space_leave_drafts_private_and_held_posts_out(client, alice, space_a, add_post, member, cm):
    add_post(space_a, "A published post")
    add_post(space_a, "A draft post", live=False)
    private = add_post(space_a, "A private post")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="pw")
    held = add_post(space_a, "A held post")
    SpacePostPage.objects.filter(pk=held.pk).update(status=Visibility.PENDING)

    as_visitor = tab(client, alice, "blogs.posts").content.decode()
    client.force_login(member)
    as_member = tab(client, alice, "blogs.posts").content.decode()
    client.force_login(alice)
    as_owner = tab(client, alice, "blogs.posts").content.decode()
    client.force_login(cm)
    as_cm = tab(client, alice, "blogs.posts").content.decode()

    for page in (as_visitor, as_member, as_owner, as_cm):
        assert "A published post" in page
        assert "A draft post" not in page and "A private post" not in page
    assert "A held post" not in as_visitor and "A held post" not in as_member
    assert "A held post" in as_owner and "A held post" in as_cm


def test_comments_removed_pending_or_on_unreadable_posts_are_left_out(client, alice, bob, space_a, add_post,
                                                                      member, cm):
    post = add_post(space_a, "Open post")
    held_post = add_post(space_a, "Held post")
    shown = svc.add_comment(actor=bob, post=post, body="A comment everyone reads")
    removed = svc.add_comment(actor=bob, post=post, body="A comment a moderator removed")
    pending = svc.add_comment(actor=bob, post=post, body="A comment awaiting approval")
    deleted = svc.add_comment(actor=bob, post=post, body="A comment its author withdrew")
    on_held = svc.add_comment(actor=bob, post=held_post, body="A comment on a post now held")
    Comment.objects.filter(pk=removed.pk).update(status=Visibility.REMOVED)
    Comment.objects.filter(pk=pending.pk).update(status=Visibility.PENDING)
    svc.delete_comment(actor=bob, comment=deleted)
    SpacePostPage.objects.filter(pk=held_post.pk).update(status=Visibility.PENDING)

    as_visitor = tab(client, bob, "blogs.comments").content.decode()
    client.force_login(member)
    as_member = tab(client, bob, "blogs.comments").content.decode()
    client.force_login(bob)
    as_author = tab(client, bob, "blogs.comments").content.decode()
    client.force_login(cm)
    as_cm = tab(client, bob, "blogs.comments").content.decode()

    assert shown.body in as_visitor and "On “Open post”" in as_visitor
    for page in (as_visitor, as_member):
        for secret in (removed.body, pending.body, deleted.body, on_held.body):
            assert secret not in page
    assert pending.body in as_author and removed.body not in as_author and deleted.body not in as_author
    assert removed.body in as_cm and deleted.body in as_cm
    assert on_held.body not in as_cm  # the post is not open to readers: its comments are not listed


def test_empty_states(client, alice):
    assert "No spaces yet." in tab(client, alice, "blogs.spaces").content.decode()
    assert "No posts in their spaces yet." in tab(client, alice, "blogs.posts").content.decode()
    assert "No comments yet." in tab(client, alice, "blogs.comments").content.decode()


# The member with profile, their skills; Wagtail's view restrictions (`.public()`), the tab's count
# and page (posts: with their thread's counter); the request's Wagtail site (for the pages' links:
# a comment's link is its permalink, no site needed).
QUERIES = {"blogs.spaces": 6, "blogs.posts": 6, "blogs.comments": 5}


@pytest.mark.parametrize("size", [1, 16])
@pytest.mark.parametrize("name", list(QUERIES))
def test_the_profile_runs_a_fixed_number_of_queries_whatever_the_activity(client, alice, bob, make_space, add_post,
                                                                          django_assert_num_queries, size, name):
    for n in range(min(size, 3)):
        space = make_space(alice, title=f"Space {n}")
    for n in range(size):
        post = add_post(space, f"Post {n}")
        svc.add_comment(actor=alice, post=post, body=f"My comment {n}")
    member = alice
    client.get(f"{member.get_absolute_url()}?tab={name}")  # Wagtail's site root paths, once per process

    with django_assert_num_queries(QUERIES[name]):
        response = client.get(f"{member.get_absolute_url()}?tab={name}")

    assert response.status_code == 200
    assert 'class="activity-list"' in response.content.decode()


def test_a_paused_space_is_listed_for_its_holder_and_cms_only(client, alice, space_a, member, cm):
    spaces.pause(actor=cm, space_id=space_a.pk)

    as_visitor = tab(client, alice, "blogs.spaces").content.decode()
    client.force_login(member)
    as_member = tab(client, alice, "blogs.spaces").content.decode()
    client.force_login(alice)
    as_owner = tab(client, alice, "blogs.spaces").content.decode()

    assert "Alice&#x27;s column" not in as_visitor and "Alice&#x27;s column" not in as_member
    assert "Alice&#x27;s column" in as_owner
