"""Moving and renaming pages: new paths for the subtree, redirects from the old ones, links kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from moderation.models import AuditLogEntry
from tests.factories import UserFactory
from wiki.models import Link, Page, PageLog, Redirect
from wiki.services.editing import create_page
from wiki.services.moving import move

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(wiki_root, wiki_cm):
    guides = create_page(actor=wiki_cm, parent=wiki_root, title="Guides", body="All guides.").page
    start = create_page(actor=wiki_cm, parent=guides, title="Start", body="Begin here.").page
    deep = create_page(actor=wiki_cm, parent=start, title="Deep", body="Down.").page
    other = create_page(actor=wiki_cm, parent=wiki_root, title="Help", body="Help.").page
    return {"root": wiki_root, "guides": guides, "start": start, "deep": deep, "help": other}


def fresh(page):
    return Page.objects.get(pk=page.pk)


def test_moving_rewrites_the_subtree_and_keeps_redirects(tree, wiki_cm, client):
    Link.objects.create(source=tree["help"], target_path="guides/start/", target=tree["start"])
    Link.objects.create(source=tree["help"], target_path="help/start/", target=None)  # a red link to the new path
    move(actor=wiki_cm, page=tree["start"], title="Start", parent=tree["help"], slug="")
    assert fresh(tree["start"]).path == "help/start/" and fresh(tree["deep"]).path == "help/start/deep/"
    assert fresh(tree["start"]).parent_id == tree["help"].pk
    assert set(Redirect.objects.values_list("old_path", flat=True)) == {"guides/start/", "guides/start/deep/"}
    # The old link still reaches the page (through the redirect); the red one turned blue.
    assert Link.objects.get(target_path="guides/start/").target_id == tree["start"].pk
    assert Link.objects.get(target_path="help/start/").target_id == tree["start"].pk
    # The tree agrees (mptt): the page is under its new parent, with its child.
    assert [p.pk for p in fresh(tree["help"]).get_descendants()] == [tree["start"].pk, tree["deep"].pk]
    # An old address leads to the same action at the new one.
    response = client.get(reverse("wiki:log", args=["guides/start/deep/"]) + "?page=1")
    assert response.status_code == 302 and response["Location"] == "/wiki/help/start/deep/_log/?page=1"
    entry = PageLog.objects.get(action="move")
    assert entry.detail["old_path"] == "guides/start/" and entry.detail["new_path"] == "help/start/"
    assert AuditLogEntry.objects.filter(action="wiki_move", object_id=tree["start"].pk).exists()


def test_a_rename_is_a_revision_and_moving_back_removes_the_redirect(tree, wiki_cm):
    page = move(actor=wiki_cm, page=tree["start"], title="Getting started", parent=tree["guides"], slug="")
    assert page.path == "guides/getting-started/" and page.title == "Getting started"
    newest = page.revisions.order_by("-number").first()
    assert newest.number == 2 and newest.title == "Getting started" and newest.body == "Begin here."
    assert "Renamed from" in newest.summary
    move(actor=wiki_cm, page=page, title="Getting started", parent=tree["guides"], slug="start")
    assert fresh(page).path == "guides/start/"
    assert not Redirect.objects.filter(old_path="guides/start/").exists()
    assert Redirect.objects.filter(old_path="guides/getting-started/", page=page).exists()
    assert fresh(page).revision_count == 2  # no title change: no revision


def test_moving_under_itself_or_a_descendant_is_refused(tree, wiki_cm, client):
    with pytest.raises(ValidationError, match="under itself"):
        move(actor=wiki_cm, page=tree["guides"], title="Guides", parent=tree["deep"], slug="")
    client.force_login(wiki_cm)
    response = client.post(reverse("wiki:move", args=["guides/"]),
                           {"title": "Guides typed", "parent": "guides/start/", "slug": "guides"})
    body = response.content.decode()
    assert response.status_code == 400 and "under itself or under one of its own sub-pages" in body
    assert "Guides typed" in body
    assert fresh(tree["guides"]).path == "guides/"


def test_a_taken_path_is_a_400_page_or_redirect(tree, wiki_cm, client):
    client.force_login(wiki_cm)
    url = reverse("wiki:move", args=["guides/start/"])
    response = client.post(url, {"title": "Start", "parent": "", "slug": "help"})
    assert response.status_code == 400 and "already uses /wiki/help/" in response.content.decode()
    move(actor=wiki_cm, page=tree["help"], title="Help", parent=tree["root"], slug="support")  # help/ redirects now
    response = client.post(url, {"title": "Start", "parent": "", "slug": "help"})
    assert response.status_code == 400 and fresh(tree["start"]).path == "guides/start/"
    response = client.post(url, {"title": "Start", "parent": "nowhere", "slug": ""})
    assert response.status_code == 400 and "There is no page at /wiki/nowhere/" in response.content.decode()
    response = client.post(url, {"title": "Start", "parent": "", "slug": "Bad Slug!"})
    assert response.status_code == 400 and "lowercase letters" in response.content.decode()


def test_the_root_cannot_move_and_members_may_not(tree, wiki_cm, client):
    with pytest.raises(PermissionDenied):
        move(actor=wiki_cm, page=tree["root"], title="Home", parent=tree["help"], slug="home")
    client.force_login(wiki_cm)
    assert client.get(reverse("wiki:move", args=[""])).status_code == 403
    member = UserFactory(username="mover")
    client.force_login(member)
    assert client.get(reverse("wiki:move", args=["guides/"])).status_code == 403
    assert client.post(reverse("wiki:move", args=["guides/"]),
                       {"title": "X", "parent": "", "slug": "x"}).status_code == 403
    assert fresh(tree["guides"]).path == "guides/"


def test_the_form_shows_the_current_place(tree, wiki_cm, client):
    client.force_login(wiki_cm)
    body = client.get(reverse("wiki:move", args=["guides/start/"])).content.decode()
    assert 'value="guides/"' in body and 'value="start"' in body and "Its sub-pages move with it" in body


def test_moving_under_a_deleted_page_names_the_target(tree, wiki_cm, client):
    from wiki.services.deleting import delete

    delete(actor=wiki_cm, page=tree["help"], reason="")
    client.force_login(wiki_cm)
    response = client.post(reverse("wiki:move", args=[tree["start"].path]),
                           {"title": "Start", "parent": "help/", "slug": ""})
    body = response.content.decode()
    assert response.status_code == 400 and "The page to move this one under (/wiki/help/) is deleted" in body
    assert "restore it before editing it" not in body and fresh(tree["start"]).path == "guides/start/"


def test_a_renames_summary_is_in_the_sites_language_whoever_renames(tree, wiki_cm, settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("fr"):
        move(actor=wiki_cm, page=tree["start"], title="Begin", parent=tree["guides"], slug="start")
    assert fresh(tree["start"]).current_revision.summary == "Renamed from “Start” to “Begin”"


def test_a_reverts_summary_is_in_the_sites_language_too(tree, wiki_cm, settings):
    from django.utils import translation

    from wiki.services.editing import save_revision
    from wiki.services.history import revert

    settings.LANGUAGE_CODE = "en"
    save_revision(actor=wiki_cm, page=fresh(tree["help"]), body="Changed.", base=1)
    with translation.override("fr"):
        revision = revert(actor=wiki_cm, page=fresh(tree["help"]), number=1)
    assert revision.summary == "Reverted to revision 1 by Wikicm"
