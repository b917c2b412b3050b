# ruff: noqa: F811  (the fixtures of tests/cm/casting_fixtures.py, imported by name)
"""The steps after a casting, as the public, the owner and the CM see them: a paused space is gone
for readers (its page, posts, feed, tag pages, the Contributors index, the home page) and still there
for its owner (and in /cms/); a retired space is a read-only archive; resume gives everything back;
hand over moves the space and its roles; renew moves the term. Each step is audit-logged, in the
history, and told to the owner."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from blogs.comments import add_comment
from blogs.models import SpacePage, SpacePostPage
from cm.casting import steps
from cm.models import Casting, CastingStatus, CastingStep
from community import spaces
from community.models import User
from community.notifications.models import Notification
from moderation.models import AuditLogEntry
from tests.cm.casting_fixtures import add_post, delivered, featured, invite  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def space_of(casting) -> SpacePage:
    return SpacePage.objects.get(pk=casting.space_id)


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # (its permission state computed anew, as a new request does)


def told(member, change) -> bool:
    return Notification.objects.filter(recipient=member, kind="casting_space_changed", data__change=change).exists()


def test_a_paused_space_is_gone_for_readers_and_kept_for_its_owner_and_cms(
        client, cm, featured, add_post, delivered):
    casting, ada = featured()
    space = space_of(casting)
    post = add_post(space, "Harbour at dawn")
    post.tags.add("harbour")
    post.save()
    comment = add_comment(actor=UserFactory(username="fan"), post=post, body="Lovely light.")
    urls = [space.url, post.url, f"{space.url}feed/", reverse("blogs:comment", args=[comment.pk])]
    assert [client.get(url).status_code for url in urls] == [200, 200, 200, 302]
    client.force_login(cm)
    with delivered():
        assert client.post(reverse("cm:casting_pause", args=[casting.pk])).status_code == 302
    assert space_of(casting).state == spaces.PAUSED
    assert Casting.objects.get(pk=casting.pk).space_state == spaces.PAUSED

    client.logout()
    assert [client.get(url).status_code for url in urls] == [404, 404, 404, 404]
    assert client.get("/contributors/tags/harbour/").status_code == 404  # its only post is hidden
    assert "Ada&#x27;s column" not in client.get("/contributors/").content.decode()
    assert "Ada&#x27;s column" not in client.get("/").content.decode()
    client.force_login(UserFactory(username="reader"))
    assert client.get(space.url).status_code == 404
    assert client.post(reverse("blogs:follow", args=[space.pk]), {"follow": "1"}).status_code == 404

    client.force_login(ada)  # the owner still reads it (with a notice) and finds it in /cms/
    page = client.get(space.url)
    assert page.status_code == 200 and "paused" in page.content.decode()
    assert client.get(post.url).status_code == 200
    assert client.get(reverse("blogs:comment", args=[comment.pk])).status_code == 302
    assert client.get(reverse("wagtailadmin_explore", args=[space.pk])).status_code == 200
    assert "Harbour at dawn" in client.get(reverse("wagtailadmin_explore", args=[space.pk])).content.decode()
    client.force_login(cm)
    assert client.get(space.url).status_code == 200
    assert "Paused" in client.get(reverse("cm:casting")).content.decode()
    assert told(ada, "paused")

    with delivered():
        assert client.post(reverse("cm:casting_resume", args=[casting.pk])).status_code == 302
    client.logout()
    assert [client.get(url).status_code for url in urls] == [200, 200, 200, 302]
    assert told(ada, "resumed")
    assert list(AuditLogEntry.objects.filter(action__in=["casting_pause", "casting_resume"])
                .order_by("pk").values_list("action", flat=True)) == ["casting_pause", "casting_resume"]


def test_pausing_twice_says_so_and_writes_nothing(client, cm, featured):
    casting, _ada = featured()
    client.force_login(cm)
    client.post(reverse("cm:casting_pause", args=[casting.pk]))
    again = client.post(reverse("cm:casting_pause", args=[casting.pk]))
    assert again.status_code == 409 and "already paused" in again.content.decode()
    assert CastingStep.objects.filter(casting=casting, action="paused").count() == 1


def test_a_retired_space_is_a_read_only_archive(client, cm, featured, add_post, delivered):
    casting, ada = featured()
    space = space_of(casting)
    post = add_post(space, "Last words")
    reader = UserFactory(username="reader")
    with delivered():
        steps.space_step(actor=cm, casting_id=casting.pk, name="retire")
    space = space_of(casting)
    assert space.state == spaces.RETIRED
    page = client.get(space.url)
    assert page.status_code == 200 and "Archive" in page.content.decode()
    assert client.get(post.url).status_code == 200
    assert "Archive" in client.get("/contributors/").content.decode()
    # Its holders write nothing more there; comments are closed.
    permissions = space.permissions_for_user(fresh(ada))
    assert not permissions.can_add_subpage() and not permissions.can_edit()
    assert not post.permissions_for_user(fresh(ada)).can_edit()
    with pytest.raises(PermissionDenied, match="closed"):
        add_comment(actor=reader, post=post, body="Too late?")
    assert space.permissions_for_user(fresh(cm)).can_add_subpage()  # CMs keep theirs
    assert told(ada, "retired")

    with delivered():
        steps.space_step(actor=cm, casting_id=casting.pk, name="resume")
    space = space_of(casting)
    assert space.permissions_for_user(fresh(ada)).can_add_subpage()
    assert space.permissions_for_user(fresh(ada)).can_publish()
    add_comment(actor=reader, post=SpacePostPage.objects.get(pk=post.pk), body="Welcome back!")


def test_hand_over_moves_the_space_and_the_roles(client, cm, featured, delivered):
    casting, ada = featured()
    space = space_of(casting)
    bea = UserFactory(username="bea")
    client.force_login(cm)
    with delivered():
        response = client.post(reverse("cm:casting_hand_over", args=[casting.pk]), {"username": "@bea"})
    received = Casting.objects.get(member=bea)
    assert response.status_code == 302 and response["Location"] == reverse("cm:casting_detail", args=[received.pk])
    space = space_of(casting)
    assert space.space_owner == bea
    assert fresh(bea).groups.filter(name="Contributors").exists()
    assert space.permissions_for_user(fresh(bea)).can_add_subpage()
    assert not fresh(ada).groups.filter(name="Contributors").exists()
    assert not space.permissions_for_user(fresh(ada)).can_add_subpage()
    old = Casting.objects.get(pk=casting.pk)
    assert old.status == CastingStatus.ENDED and old.space_state == ""
    assert received.status == CastingStatus.ACCEPTED and received.space_id == space.pk
    assert received.ends_on == old.ends_on
    assert told(ada, "handed_over") and told(bea, "received")
    # The space's history names both holders.
    history = client.get(reverse("cm:casting_space", args=[space.pk])).content.decode()
    assert "@ada" in history and "@bea" in history and "Space handed over" in history
    # The former casting offers no more steps on the space.
    with pytest.raises(Exception, match="no longer holds"):
        steps.space_step(actor=cm, casting_id=casting.pk, name="pause")


def test_hand_over_keeps_the_contributor_role_of_someone_holding_another_space(cm, featured, invite, delivered):
    casting, ada = featured()
    second = invite(ada, kind="photo", title="Ada's pictures")
    with delivered():
        from cm.casting import services

        services.accept(actor=fresh(ada), casting_id=second.pk)
        steps.hand_over(actor=cm, casting_id=casting.pk, new_owner=UserFactory(username="bea"))
    assert fresh(ada).groups.filter(name="Contributors").exists()


def test_hand_over_to_an_unknown_or_the_same_member_is_refused(client, cm, featured):
    casting, ada = featured()
    client.force_login(cm)
    unknown = client.post(reverse("cm:casting_hand_over", args=[casting.pk]), {"username": "nobody"})
    assert unknown.status_code == 400 and "No active member" in unknown.content.decode()
    same = client.post(reverse("cm:casting_hand_over", args=[casting.pk]), {"username": "ada"})
    assert same.status_code == 409
    assert space_of(casting).space_owner == ada


def test_renew_moves_the_term_and_tells_the_owner(client, cm, featured, delivered):
    casting, ada = featured()
    new_end = timezone.localdate() + timedelta(days=700)
    client.force_login(cm)
    with delivered():
        response = client.post(reverse("cm:casting_renew", args=[casting.pk]), {"ends_on": new_end.isoformat()})
    assert response.status_code == 302
    assert Casting.objects.get(pk=casting.pk).ends_on == new_end
    assert told(ada, "renewed")
    assert AuditLogEntry.objects.filter(action="casting_renew", object_id=casting.pk).exists()
    past = client.post(reverse("cm:casting_renew", args=[casting.pk]), {"ends_on": "2001-01-01"})
    assert past.status_code == 409 and "future" in past.content.decode()
    assert client.post(reverse("cm:casting_renew", args=[casting.pk]), {"ends_on": "soon"}).status_code == 400
    assert Casting.objects.get(pk=casting.pk).ends_on == new_end


def test_ending_a_term_archives_the_space_and_renewing_opens_it_again(cm, featured, delivered):
    casting, ada = featured()
    with delivered():
        steps.end_term(actor=cm, casting_id=casting.pk)
    ended = Casting.objects.get(pk=casting.pk)
    assert ended.status == CastingStatus.ENDED and ended.space_state == spaces.RETIRED
    assert space_of(casting).state == spaces.RETIRED and told(ada, "ended")
    with delivered():
        steps.renew(actor=cm, casting_id=casting.pk, ends_on=timezone.localdate() + timedelta(days=90))
    renewed = Casting.objects.get(pk=casting.pk)
    assert renewed.status == CastingStatus.ACCEPTED and space_of(casting).state == spaces.ACTIVE


def test_members_and_contributors_get_403_on_every_casting_page_and_step(client, featured):
    casting, ada = featured()
    pages = [reverse("cm:casting"), reverse("cm:cast", args=["ada"]), reverse("cm:casting_detail", args=[casting.pk]),
             reverse("cm:casting_space", args=[casting.space_id])]
    actions = [reverse(f"cm:casting_{name}", args=[casting.pk])
               for name in ("withdraw", "pause", "resume", "retire", "renew", "end", "hand_over", "revoke")]
    for who in (UserFactory(username="plain"), ada):
        client.force_login(who)
        assert [client.get(url).status_code for url in pages] == [403] * len(pages)
        assert [client.post(url, {"username": "plain"}).status_code for url in actions] == [403] * len(actions)
    assert space_of(casting).state == spaces.ACTIVE
