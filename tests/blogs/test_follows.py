"""Members follow a space; when one of its posts goes live for the first time, its followers are
told (a registered notification kind, "A new post in a space I follow") — never its author, and not
again when the post is published once more."""

import pytest
from django.urls import reverse

from blogs.models import SpaceFollow
from blogs.services import set_follow
from community.notifications.models import Notification
from moderation import sanctions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_follows_and_unfollows_a_space_from_its_page(client, member, space_a):
    client.force_login(member)
    page = client.get(space_a.url).content.decode()
    assert "0 followers" in page and ">Follow<" in page

    response = client.post(reverse("blogs:follow", args=[space_a.pk]), {"follow": "1"})
    assert response.status_code == 302 and response["Location"] == space_a.url
    assert SpaceFollow.objects.filter(user=member, space=space_a).count() == 1
    client.post(reverse("blogs:follow", args=[space_a.pk]), {"follow": "1"})  # twice: still one
    assert SpaceFollow.objects.filter(space=space_a).count() == 1
    page = client.get(space_a.url).content.decode()
    assert "1 follower" in page and "Stop following" in page

    client.post(reverse("blogs:follow", args=[space_a.pk]), {"follow": "0"})
    assert not SpaceFollow.objects.filter(user=member).exists()


def test_visitors_are_asked_to_log_in_and_a_get_changes_nothing(client, member, space_a):
    response = client.post(reverse("blogs:follow", args=[space_a.pk]), {"follow": "1"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    client.force_login(member)
    assert client.get(reverse("blogs:follow", args=[space_a.pk])).status_code == 405
    assert client.post(reverse("blogs:follow", args=[10**9]), {"follow": "1"}).status_code == 404
    assert not SpaceFollow.objects.exists()


def test_followers_hear_of_a_new_post_once_and_its_author_does_not(space_a, add_post, alice, member,
                                                                   django_capture_on_commit_callbacks, client):
    other = UserFactory(username="other_reader")
    set_follow(actor=member, space=space_a, following=True)
    set_follow(actor=alice, space=space_a, following=True)  # the author follows her own space

    with django_capture_on_commit_callbacks(execute=True):
        post = add_post(space_a, "Brume sur la Loire", excerpt="Five pictures at dawn")
    with django_capture_on_commit_callbacks(execute=True):
        post.save_revision(user=alice).publish(user=alice)  # published again: nobody told twice

    (notice,) = Notification.objects.filter(kind="space_post")
    assert notice.recipient == member and notice.data["space"] == "Alice's column"
    assert not Notification.objects.filter(recipient__in=[alice, other]).exists()
    client.force_login(member)
    inbox = client.get(reverse("community:notifications")).content.decode()
    assert "Brume sur la Loire" in inbox and "Alice&#x27;s column" in inbox and "Five pictures at dawn" in inbox


def test_a_banned_member_cannot_follow(cm, member, space_a, client):
    from django.core.exceptions import PermissionDenied

    sanctions.sanction_member(actor=cm, member=member, kind="ban", reason="Spam")
    member.refresh_from_db()
    with pytest.raises(PermissionDenied):
        set_follow(actor=member, space=space_a, following=True)
