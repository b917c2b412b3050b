"""A wiki revision walks the spine like any content kind (tests/apps/shouts/test_plugs_into_the_spine.py):
the spam check holds it, a member reports it, it shows in the review queue with its page title, what it
added and a link to its diff, a CM decides, the author is told; watched words read what the edit added;
"remove all content" reverts a member's edits rather than blanking pages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from community import content
from community.models import SpamStatus, Visibility
from moderation import sanctions, watched
from moderation.models import AuditLogEntry, ReviewItem, SpamCheck, WatchedWordHit
from tests.factories import UserFactory
from wiki.content_kinds import show_newest_visible
from wiki.models import Link, Page, PageLog, Revision
from wiki.services.editing import create_page, save_revision

pytestmark = pytest.mark.django_db

KIND = "wiki.revision"
SPAM = ("Make $500 a day from home, no experience needed!!! Sign up now: bit.ly/cash-4-u "
        "tinyurl.com/easy-money-now cutt.ly/win-big")


@pytest.fixture
def people(db):
    return {
        "maya": UserFactory(username="maya", display_name="Maya"),
        "omar": UserFactory(username="omar", display_name="Omar"),
        "rita": UserFactory(username="rita", display_name="Rita"),
        "sam": UserFactory(username="sam", display_name="Sam", roles=["Community managers"]),
    }


def inbox(client, user):
    client.force_login(user)
    return client.get(reverse("community:notifications")).content.decode()


def page_html(client, page):
    return Page.objects.get(pk=page.pk).body_html


def test_a_revision_is_checked_reported_reviewed_decided_and_its_author_told(
        people, wiki_root, client, django_capture_on_commit_callbacks):
    maya, omar, rita, sam = people["maya"], people["omar"], people["rita"], people["sam"]
    with django_capture_on_commit_callbacks(execute=True):
        page = create_page(actor=omar, parent=wiki_root, title="Cycling routes", body="The lake loop.").page
        spam = save_revision(actor=maya, page=page, body=f"The lake loop.\n\n{SPAM}", base=1)

    # The spam check read what the edit added: held, the page still shows the clean text.
    spam.refresh_from_db()
    assert spam.spam_status == SpamStatus.SPAM and spam.status == Visibility.PENDING
    check = SpamCheck.objects.get(kind=KIND, object_id=spam.pk)
    assert check.verdict == SpamStatus.SPAM
    page.refresh_from_db()
    assert "bit.ly" not in page.body_html and "lake loop" in page.body_html
    assert ReviewItem.objects.get(kind=KIND, object_id=spam.pk).held

    # The queue shows the page title, what the edit added, and links to that revision's diff.
    client.force_login(sam)
    queue = client.get(reverse("moderation:queue"), {"kind": KIND}).content.decode()
    assert "Wiki edit" in queue and "Cycling routes" in queue and "tinyurl.com/easy-money-now" in queue
    assert f'href="/wiki/cycling-routes/_diff/?to={spam.number}"' in queue
    assert content.get_kind(KIND).url(spam) == f"/wiki/cycling-routes/_diff/?to={spam.number}"

    # A clean edit by someone else; a member reports it; a CM removes it; the author is told.
    with django_capture_on_commit_callbacks(execute=True):
        rude = save_revision(actor=maya, page=page, body="The lake loop.\n\nOmar rides like a snail.", base=1)
    assert Page.objects.get(pk=page.pk).current_revision_id == rude.pk
    client.force_login(rita)
    with django_capture_on_commit_callbacks(execute=True):
        reported = client.post(reverse("moderation:report", args=[KIND, rude.pk]), {"reason": "abuse"})
    assert reported.status_code == 302
    assert ReviewItem.objects.get(kind=KIND, object_id=rude.pk).open_reports == 1
    client.force_login(sam)
    with django_capture_on_commit_callbacks(execute=True):
        decided = client.post(reverse("moderation:decide"), {"kind": KIND, "id": rude.pk, "decision": "remove"})
    assert decided.status_code == 302
    assert Revision.objects.get(pk=rude.pk).status == Visibility.REMOVED
    # The page falls back to its newest visible revision (the spam one is still held).
    page.refresh_from_db()
    assert page.current_revision.number == 1 and "snail" not in page.body_html
    assert "A moderation decision about “Cycling routes”: Remove" in inbox(client, maya)
    assert "A moderation decision about “Cycling routes”: Remove" in inbox(client, rita)

    # Restored, it shows again.
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(sam)
        client.post(reverse("moderation:decide"), {"kind": KIND, "id": rude.pk, "decision": "restore"})
    page.refresh_from_db()
    assert page.current_revision_id == rude.pk and "snail" in page.body_html


def test_hiding_every_revision_leaves_an_empty_page_not_the_hidden_text(people, wiki_root, client):
    maya = people["maya"]
    page = create_page(actor=maya, parent=wiki_root, title="Secret", body="Nasty words here.").page
    kind = content.get_kind(KIND)
    assert kind.hide(Revision.objects.get(page=page))
    page = Page.objects.get(pk=page.pk)
    assert page.current_revision_id is None and page.body_html == "" and page.toc == []
    assert not page.is_deleted  # a moderator's hide is not a deletion
    response = client.get(page.get_absolute_url())
    assert response.status_code in (200, 404) and "Nasty" not in response.content.decode()
    assert kind.restore(Revision.objects.get(page=page))
    assert "Nasty" in Page.objects.get(pk=page.pk).body_html


def test_watched_words_read_what_the_edit_added_and_the_title(people, wiki_root, django_capture_on_commit_callbacks):
    maya, sam = people["maya"], people["sam"]
    watched.create_word(phrase="viagra", action="block")
    watched.create_word(phrase="casino*", action="approve")
    word = watched.create_word(phrase="tribune", action="alert", watchers=[sam])

    with pytest.raises(ValidationError, match="viagra"):
        create_page(actor=maya, parent=wiki_root, title="Viagra deals", body="Nothing.")
    with django_capture_on_commit_callbacks(execute=True):
        page = create_page(actor=maya, parent=wiki_root, title="Events", body="Tribune meetup in May.").page
    first = Revision.objects.get(page=page)
    assert WatchedWordHit.objects.filter(kind=KIND, object_id=first.pk, word=word).exists()

    # The page already says "Tribune": an edit that adds other words does not use it again.
    with django_capture_on_commit_callbacks(execute=True):
        second = save_revision(actor=maya, page=page, body="Tribune meetup in May.\n\nBring a cake.", base=1)
    assert not WatchedWordHit.objects.filter(kind=KIND, object_id=second.pk).exists()
    # An edit adding a held word is held; the page keeps showing the last clean text.
    with django_capture_on_commit_callbacks(execute=True):
        held = save_revision(actor=maya, page=page, body="Tribune meetup in May.\n\nBring a cake.\n\nCasino night!",
                             base=2)
    held.refresh_from_db()
    assert held.status == Visibility.PENDING
    assert "Casino" not in Page.objects.get(pk=page.pk).body_html
    with django_capture_on_commit_callbacks(execute=True):
        assert content.get_kind(KIND).restore(held)
    assert "Casino" in Page.objects.get(pk=page.pk).body_html


def test_remove_all_content_reverts_a_members_edits(people, wiki_root, django_capture_on_commit_callbacks):
    maya, omar, sam = people["maya"], people["omar"], people["sam"]
    vandal = UserFactory(username="vandal")
    with django_capture_on_commit_callbacks(execute=True):
        guide = create_page(actor=omar, parent=wiki_root, title="Guide", body="Good words.").page
        save_revision(actor=vandal, page=guide, body="Good words.\n\nVandal was here.", base=1)
        save_revision(actor=vandal, page=guide, body="Vandal rules.", base=2)
        own = create_page(actor=vandal, parent=wiki_root, title="Vandal land", body="All mine.").page
        save_revision(actor=vandal, page=own, body="All mine, again.", base=1)
        linking = create_page(actor=maya, parent=wiki_root, title="Links", body="See [[vandal-land]].").page
        shared = create_page(actor=vandal, parent=wiki_root, title="Shared", body="Vandal start.").page
        save_revision(actor=maya, page=shared, body="Vandal start.\n\nMaya's good part.", base=1)
    Link.objects.get_or_create(source=linking, target_path=own.path, defaults={"target": own})

    with django_capture_on_commit_callbacks(execute=True):
        sanctions.remove_all_content(actor=sam, member=vandal, reason="Vandalism")

    assert not Revision.objects.filter(author=vandal).exclude(status=Visibility.REMOVED).exists()
    # The page falls back to the newest revision by someone else.
    guide = Page.objects.get(pk=guide.pk)
    assert guide.current_revision.number == 1 and guide.body_html == Revision.objects.get(page=guide, number=1).body_html
    assert not guide.is_deleted
    # A page only they wrote is deleted (restorable), its links red, the log says why.
    own = Page.objects.get(pk=own.pk)
    assert own.is_deleted and own.current_revision_id is None and own.body_html == ""
    assert Link.objects.get(source=linking, target_path=own.path).target_id is None
    assert PageLog.objects.get(page=own, action=PageLog.Action.DELETE).detail["reason"] == "remove_all"
    # A page they started and others continued: Maya's revision still carried the vandal's text, and
    # Maya's addition touches it (the undo overlaps), so the page goes back to before the vandal's
    # first edit — nothing, as the vandal created it — in a revision by the moderator; Maya's
    # revision stays in the history.
    shared = Page.objects.get(pk=shared.pk)
    assert not shared.is_deleted and shared.current_revision.author_id == sam.pk
    assert "Vandal" not in shared.body_html
    assert Revision.objects.filter(page=shared, author=maya, status=Visibility.PUBLISHED).exists()
    assert AuditLogEntry.objects.get(action="remove_all_content").detail["per_kind"][KIND] == 5

    # Running it again changes nothing.
    assert content.get_kind(KIND).remove_all(vandal, limit=500) == (0, False)
    assert show_newest_visible(guide.pk).current_revision.number == 1


def test_a_revision_of_a_page_one_may_not_read_is_not_readable(people, wiki_root):
    maya = people["maya"]
    page = create_page(actor=people["sam"], parent=wiki_root, title="CM notes", body="Private.").page
    Page.objects.filter(pk=page.pk).update(read_level=3)
    revision = Revision.objects.select_related("page").get(page=page)
    kind = content.get_kind(KIND)
    assert not kind.visible_to(maya, revision) and kind.visible_to(people["sam"], revision)
