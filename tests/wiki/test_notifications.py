"""Watchers hear of edits, moves, protection changes and deletions; mentions use the spine's kind."""

import pytest
from django.core import mail
from django.urls import reverse

from community.notifications.models import Notification
from tests.factories import UserFactory
from wiki.models import Watch
from wiki.services.deleting import delete
from wiki.services.editing import create_page, save_revision
from wiki.services.moving import move
from wiki.services.protection import protect
from wiki.services.watching import watch

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def pages(wiki_root, wiki_cm):
    guides = create_page(actor=wiki_cm, parent=wiki_root, title="Guides", body="All guides.").page
    start = create_page(actor=wiki_cm, parent=guides, title="Start", body="Begin here.").page
    return {"guides": guides, "start": start}


def test_watchers_and_subtree_watchers_are_told_of_an_edit_never_the_author(pages, delivered, client):
    page_fan, tree_fan, author = (UserFactory(username=name) for name in ("page_fan", "tree_fan", "author"))
    watch(actor=page_fan, page=pages["start"])
    watch(actor=tree_fan, page=pages["guides"], subtree=True)
    watch(actor=author, page=pages["start"])
    with delivered():
        save_revision(actor=author, page=pages["start"], body="Begin here, slowly.", base=1, summary="Slower")
    told = {n.recipient.username: n for n in Notification.objects.filter(kind="wiki_edit")}
    assert set(told) == {"page_fan", "tree_fan", "wikicm"}  # the CM watches the page they created
    assert told["page_fan"].data["url"] == "/wiki/guides/start/_diff/?from=1"
    assert told["page_fan"].data["excerpt"] == "Slower"
    client.force_login(page_fan)
    inbox = client.get(reverse("community:notifications")).content.decode()
    assert "<strong>Author</strong> edited the wiki page “Start”" in inbox and "Slower" in inbox


def test_readers_only_and_mentions_through_the_spine(pages, wiki_cm, delivered):
    outsider = UserFactory(username="outsider")
    mentioned = UserFactory(username="named")
    Watch.objects.create(user=outsider, page=pages["start"])
    protect(actor=wiki_cm, page=pages["start"], read_level=3, edit_level=3, reason="")
    with delivered():
        save_revision(actor=wiki_cm, page=pages["start"], body="Hi @named and @outsider.", base=1)
    assert not Notification.objects.filter(recipient=outsider).exists()  # may not read it any more
    assert not Notification.objects.filter(recipient=mentioned).exists()
    protect(actor=wiki_cm, page=pages["start"], read_level=0, edit_level=1, reason="")
    with delivered():
        save_revision(actor=UserFactory(username="writer"), page=pages["start"], body="Thanks @named.", base=2)
    assert Notification.objects.get(recipient=mentioned).kind == "mention"
    assert Notification.objects.filter(recipient=outsider, kind="wiki_edit").count() == 1


def test_email_wording_of_an_edit(pages, delivered):
    fan = UserFactory(username="emailed", email="fan@example.org")
    watch(actor=fan, page=pages["start"])
    from community.notifications.services import set_preferences

    set_preferences(actor=fan, channels={"wiki_edit": "immediate"})
    with delivered():
        save_revision(actor=UserFactory(username="author"), page=pages["start"], body="New words.", base=1,
                      summary="Rewrote it")
    sent = [m for m in mail.outbox if m.to == ["fan@example.org"]]
    assert sent, [m.subject for m in mail.outbox]
    assert sent[0].subject == "Author edited the wiki page “Start”"
    assert "/wiki/guides/start/_diff/?from=1" in sent[0].alternatives[0][0] or \
        "/wiki/guides/start/_diff/?from=1" in sent[0].body


def test_moves_protection_and_deletions_tell_the_watchers(pages, wiki_cm, delivered, client):
    fan = UserFactory(username="fan")
    watch(actor=fan, page=pages["start"])
    with delivered():
        move(actor=wiki_cm, page=pages["start"], title="Start", parent=pages["guides"], slug="begin")
    with delivered():
        protect(actor=wiki_cm, page=pages["start"], read_level=0, edit_level=2, reason="Calm down")
    with delivered():
        delete(actor=wiki_cm, page=pages["start"], reason="Duplicate")
    actions = [n.data["action"] for n in Notification.objects.filter(recipient=fan, kind="wiki_page")
               .order_by("pk")]
    assert actions == ["move", "protect", "delete"]
    assert not Notification.objects.filter(recipient=wiki_cm, kind="wiki_page").exists()  # the actor
    client.force_login(fan)
    inbox = client.get(reverse("community:notifications")).content.decode()
    assert "<strong>Wikicm</strong> moved the wiki page “Start” to /wiki/guides/begin/" in inbox
    assert "deleted the wiki page “Start”" in inbox and "changed who may read or edit" in inbox


def test_a_page_closed_to_a_watcher_is_not_named_to_them(pages, wiki_cm, delivered):
    fan = UserFactory(username="fan")
    watch(actor=fan, page=pages["start"])
    with delivered():
        protect(actor=wiki_cm, page=pages["start"], read_level=3, edit_level=3, reason="Private now")
    assert not Notification.objects.filter(recipient=fan).exists()


def test_a_group_of_edits_leads_to_everything_unseen_and_a_new_page_says_created(pages, wiki_cm, delivered, client):
    fan = UserFactory(username="grouped")
    watch(actor=fan, page=pages["start"])
    with delivered():
        save_revision(actor=UserFactory(username="first"), page=pages["start"], body="Two.", base=1)
    with delivered():
        save_revision(actor=UserFactory(username="second"), page=pages["start"], body="Three.", base=2)
    urls = {n.data["url"] for n in Notification.objects.filter(recipient=fan, kind="wiki_edit")}
    # Each leads from the revision before it to the current one: no `to`, whichever the group shows.
    assert urls == {"/wiki/guides/start/_diff/?from=1", "/wiki/guides/start/_diff/?from=2"}
    client.force_login(fan)
    diff = client.get("/wiki/guides/start/_diff/?from=1").content.decode()
    assert "Revision 1 → Revision 3" in diff and "<ins>Three</ins>" in diff  # runs to the current revision
    # A new page under a watched subtree: "created".
    tree_fan = UserFactory(username="treefan")
    watch(actor=tree_fan, page=pages["guides"], subtree=True)
    with delivered():
        create_page(actor=UserFactory(username="maker"), parent=pages["guides"], title="Fresh", body="New.")
    note = Notification.objects.get(recipient=tree_fan, kind="wiki_edit")
    assert note.data["url"] == "/wiki/guides/fresh/"
    client.force_login(tree_fan)
    inbox = client.get(reverse("community:notifications")).content.decode()
    assert "<strong>Maker</strong> created the wiki page “Fresh”" in inbox
