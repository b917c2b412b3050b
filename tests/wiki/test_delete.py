"""Deleting and restoring pages: soft, with the sub-pages, history kept, links red then blue."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import UserFactory
from wiki.models import Link, Page, PageLog
from wiki.services.deleting import delete, undelete
from wiki.services.editing import create_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(wiki_root, wiki_cm):
    guides = create_page(actor=wiki_cm, parent=wiki_root, title="Guides", body="All guides.").page
    start = create_page(actor=wiki_cm, parent=guides, title="Start", body="Begin here.").page
    old = create_page(actor=wiki_cm, parent=guides, title="Old", body="Outdated.").page
    other = create_page(actor=wiki_cm, parent=wiki_root, title="Help", body="Help.").page
    Link.objects.create(source=other, target_path="guides/start/", target=start)
    return {"root": wiki_root, "guides": guides, "start": start, "old": old, "help": other}


def fresh(page):
    return Page.objects.get(pk=page.pk)


def test_the_confirmation_says_the_sub_pages_go_too_and_a_cm_deletes(client, tree, wiki_cm):
    client.force_login(wiki_cm)
    url = reverse("wiki:delete", args=["guides/"])
    assert "Its 2 sub-pages are deleted with it." in client.get(url).content.decode()
    assert client.post(url, {"reason": "Merged into Help"}).status_code == 302
    assert all(fresh(tree[name]).is_deleted for name in ("guides", "start", "old"))
    assert fresh(tree["guides"]).deleted_by == wiki_cm and fresh(tree["help"]).is_deleted is False
    assert Link.objects.get(target_path="guides/start/").target_id is None  # red now
    assert fresh(tree["start"]).revisions.count() == 1  # history kept
    entry = PageLog.objects.get(action="delete")
    assert entry.detail == {"pages": 3, "reason": "Merged into Help"}
    # CMs still see it (with the notice and a way back), members do not.
    log = client.get(reverse("wiki:log", args=["guides/"])).content.decode()
    assert "This page is deleted" in log and reverse("wiki:undelete", args=["guides/"]) in log
    client.force_login(UserFactory(username="reader"))
    assert client.get(reverse("wiki:log", args=["guides/start/"])).status_code == 404


def test_undelete_restores_what_was_deleted_together(tree, wiki_cm, client):
    delete(actor=wiki_cm, page=tree["old"], reason="Outdated")  # on its own, before
    delete(actor=wiki_cm, page=tree["guides"], reason="")
    client.force_login(wiki_cm)
    url = reverse("wiki:undelete", args=["guides/"])
    assert "The sub-page deleted with it is restored too." in client.get(url).content.decode()
    assert client.post(url, {"reason": "Oops"}).status_code == 302
    assert not fresh(tree["guides"]).is_deleted and not fresh(tree["start"]).is_deleted
    assert fresh(tree["old"]).is_deleted  # deleted separately: stays deleted
    assert Link.objects.get(target_path="guides/start/").target_id == tree["start"].pk  # blue again
    assert PageLog.objects.filter(page=tree["guides"], action="undelete").exists()


def test_a_sub_page_of_a_deleted_page_waits_for_its_parent(tree, wiki_cm):
    delete(actor=wiki_cm, page=tree["old"], reason="")
    delete(actor=wiki_cm, page=tree["guides"], reason="")
    with pytest.raises(PermissionDenied, match="restore it first"):
        undelete(actor=wiki_cm, page=fresh(tree["old"]), reason="")


def test_the_root_and_members_may_not_delete(client, tree, wiki_cm):
    with pytest.raises(PermissionDenied):
        delete(actor=wiki_cm, page=tree["root"], reason="")
    client.force_login(UserFactory(username="vandal"))
    assert client.get(reverse("wiki:delete", args=["guides/"])).status_code == 403
    assert client.post(reverse("wiki:delete", args=["guides/"])).status_code == 403
    assert not fresh(tree["guides"]).is_deleted
    client.force_login(wiki_cm)
    assert client.get(reverse("wiki:delete", args=[""])).status_code == 403
    assert "nothing to restore" in client.get(reverse("wiki:undelete", args=["guides/"])).content.decode()
    assert client.post(reverse("wiki:undelete", args=["guides/"])).status_code == 403  # not deleted


def test_a_deleted_page_cannot_be_edited_or_moved(tree, wiki_cm):
    from wiki.services.editing import save_revision
    from wiki.services.moving import move

    delete(actor=wiki_cm, page=tree["start"], reason="")
    with pytest.raises(PermissionDenied):
        save_revision(actor=wiki_cm, page=fresh(tree["start"]), body="new", base=1)
    with pytest.raises(PermissionDenied):
        move(actor=wiki_cm, page=fresh(tree["start"]), title="Start", parent=tree["help"], slug="")
