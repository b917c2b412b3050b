"""A page's history, its old revisions and reverts, as readers see them."""

import pytest
from django.urls import reverse

from community.models import Visibility
from tests.factories import UserFactory
from wiki.models import Page, Revision
from wiki.services.editing import create_page, save_revision
from wiki.services.history import NoChange, revert

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(db):
    return UserFactory(username="writer")


def make_page(root, author, edits, title="Guide"):
    page = create_page(actor=author, parent=root, title=title, body="Line 0").page
    for n in range(1, edits):
        save_revision(actor=author, page=page, body=f"Line {n}\n" + "x" * n, base=n, summary=f"Edit {n + 1}",
                      minor=n % 2 == 0)
    return Page.objects.get(pk=page.pk)


def test_the_history_lists_revisions_newest_first_with_author_size_and_marks(client, wiki_root, writer):
    page = make_page(wiki_root, writer, 3)
    html = client.get(reverse("wiki:history", args=[page.path])).content.decode()
    assert html.index("Edit 3") < html.index("Edit 2") < html.index("New page")
    assert writer.get_absolute_url() in html
    assert 'class="size-plus"' in html and ">m</abbr>" in html
    assert reverse("wiki:revision", args=[page.path, 1]) in html
    assert reverse("wiki:diff", args=[page.path]) in html
    # A visitor may not edit: no revert link.
    assert "_revert/" not in html


def test_members_get_revert_links_and_cms_see_unpatrolled_marks(client, wiki_root, writer, cm):
    newcomer = UserFactory(username="newbie", trust_level=0)
    page = make_page(wiki_root, writer, 2)
    save_revision(actor=newcomer, page=page, body="Newcomer text", base=2)
    client.force_login(writer)
    html = client.get(reverse("wiki:history", args=[page.path])).content.decode()
    assert reverse("wiki:revert", args=[page.path, 1]) in html
    assert "unpatrolled" not in html
    client.force_login(cm)
    assert "unpatrolled" in client.get(reverse("wiki:history", args=[page.path])).content.decode()


def test_the_history_is_paginated_by_fifty(client, wiki_root, writer):
    page = make_page(wiki_root, writer, 53)
    first = client.get(reverse("wiki:history", args=[page.path])).content.decode()
    assert "Edit 53" in first and "Edit 3<" not in first and "Page 1 of 2" in first
    second = client.get(reverse("wiki:history", args=[page.path]) + "?page=2").content.decode()
    assert "Edit 3" in second and "New page" in second
    assert client.get(reverse("wiki:history", args=[page.path]) + "?page=3").status_code == 404
    assert client.get(reverse("wiki:history", args=[page.path]) + "?page=x").status_code == 404


@pytest.mark.parametrize("size", [3, 60])
def test_the_history_costs_the_same_at_any_length(client, wiki_root, writer, size, django_assert_max_num_queries):
    page = make_page(wiki_root, writer, size)
    child = create_page(actor=writer, parent=page, title="Child", body="Child text").page
    client.force_login(writer)
    client.get(reverse("wiki:history", args=[child.path]))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("wiki:history", args=[page.path]))
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("wiki:history", args=[child.path])).status_code == 200


def test_hidden_revisions_are_listed_as_such_without_their_text(client, wiki_root, writer, cm):
    page = make_page(wiki_root, writer, 3)
    Revision.objects.filter(page=page, number=2).update(status=Visibility.HIDDEN, summary="secret summary")
    html = client.get(reverse("wiki:history", args=[page.path])).content.decode()
    assert "Hidden by the moderators" in html and "secret summary" not in html
    assert reverse("wiki:revision", args=[page.path, 2]) not in html
    client.force_login(cm)
    html = client.get(reverse("wiki:history", args=[page.path])).content.decode()
    assert "secret summary" in html and reverse("wiki:revision", args=[page.path, 2]) in html


def test_an_old_revision_shows_its_text_and_a_banner(client, wiki_root, writer):
    page = make_page(wiki_root, writer, 3)
    response = client.get(reverse("wiki:revision", args=[page.path, 1]))
    html = response.content.decode()
    assert response.status_code == 200 and "Line 0" in html
    assert "You are reading revision 1 of this page, saved on" in html
    assert "revision 3</a>" in html
    assert reverse("wiki:revision", args=[page.path, 2]) in html
    assert client.get(reverse("wiki:revision", args=[page.path, 9])).status_code == 404


def test_a_hidden_revision_is_for_community_managers_and_a_removed_one_is_a_404(client, wiki_root, writer, cm):
    page = make_page(wiki_root, writer, 3)
    Revision.objects.filter(page=page, number=2).update(status=Visibility.HIDDEN)
    Revision.objects.filter(page=page, number=1).update(status=Visibility.REMOVED)
    client.force_login(writer)
    html = client.get(reverse("wiki:revision", args=[page.path, 2])).content.decode()
    assert "This revision was hidden by the moderators." in html and "Line 1" not in html
    assert client.get(reverse("wiki:revision", args=[page.path, 1])).status_code == 404
    client.force_login(cm)
    assert "Line 1" in client.get(reverse("wiki:revision", args=[page.path, 2])).content.decode()
    assert "Line 0" in client.get(reverse("wiki:revision", args=[page.path, 1])).content.decode()


def test_revert_saves_a_new_revision_with_the_old_text(client, wiki_root, writer):
    page = make_page(wiki_root, writer, 3)
    client.force_login(writer)
    url = reverse("wiki:revert", args=[page.path, 1])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Revert to revision 1" in confirm.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    page.refresh_from_db()
    newest = page.revisions.get(number=4)
    assert newest.body == "Line 0" and newest.reverts.number == 1 and page.current_revision_id == newest.pk
    assert newest.summary == "Reverted to revision 1 by Writer"
    # Reverting again to the same text saves nothing.
    response = client.post(url, follow=True)
    assert "already the current text" in response.content.decode()
    assert Page.objects.get(pk=page.pk).revision_count == 4


def test_revert_refuses_a_protected_page_another_pages_number_and_a_hidden_revision(client, wiki_root, writer, cm):
    page = make_page(wiki_root, writer, 3)
    other = make_page(wiki_root, writer, 5, title="Other")
    client.force_login(writer)
    assert client.get(reverse("wiki:revert", args=[page.path, 5])).status_code == 404
    assert client.post(reverse("wiki:revert", args=[page.path, 5])).status_code == 404
    Revision.objects.filter(page=page, number=1).update(status=Visibility.HIDDEN)
    assert client.post(reverse("wiki:revert", args=[page.path, 1])).status_code == 404
    client.force_login(cm)
    refused = client.post(reverse("wiki:revert", args=[page.path, 1]))
    assert refused.status_code == 400 and "cannot be brought back" in refused.content.decode()
    Page.objects.filter(pk=other.pk).update(edit_level=3)
    client.force_login(writer)
    assert client.post(reverse("wiki:revert", args=[other.path, 1])).status_code == 403
    assert client.get(reverse("wiki:revert", args=[other.path, 1])).status_code == 403
    assert Page.objects.get(pk=other.pk).revision_count == 5


def test_the_revert_service_says_when_nothing_changes(wiki_root, writer):
    page = make_page(wiki_root, writer, 2)
    with pytest.raises(NoChange):
        revert(actor=writer, page=page, number=2)
    with pytest.raises(Revision.DoesNotExist):
        revert(actor=writer, page=page, number=7)


@pytest.mark.django_db
def test_out_of_range_numbers_in_history_urls_are_a_404(client, wiki_root):
    page = create_page(actor=UserFactory(), parent=wiki_root, title="Bounded", body="x").page
    huge = "99999999999999999999"
    assert client.get(reverse("wiki:history", args=[page.path]), {"page": huge}).status_code == 404
    assert client.get(reverse("wiki:history", args=[page.path]), {"page": "x"}).status_code == 404
    assert client.get(reverse("wiki:recent"), {"page": huge}).status_code == 404
    assert client.get(reverse("wiki:revision", args=[page.path, 999999999])).status_code == 404
    assert client.get(reverse("wiki:diff", args=[page.path]), {"from": huge, "to": huge}).status_code == 404
