"""Watching pages and the watchlist."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from wiki.models import Watch
from wiki.services.editing import create_page, save_revision
from wiki.services.protection import protect
from wiki.services.watching import unwatch, watch, watcher_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(wiki_root, wiki_cm):
    return create_page(actor=wiki_cm, parent=wiki_root, title="Guide", body="Read me.").page


def test_a_member_watches_with_htmx_then_stops(client, member, guide):
    client.force_login(member)
    url = reverse("wiki:watch", args=[guide.path])
    response = client.post(url, {"subtree": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Watching with sub-pages" in response.content.decode()
    assert Watch.objects.get(user=member, page=guide).subtree
    response = client.post(url, {"action": "unwatch"})
    assert response.status_code == 302 and not Watch.objects.filter(user=member).exists()


def test_visitors_are_sent_to_log_in_and_get_changes_nothing(client, guide):
    before = Watch.objects.count()  # (the author's own)
    response = client.post(reverse("wiki:watch", args=[guide.path]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(reverse("wiki:watch", args=[guide.path])).status_code == 405
    assert client.get(reverse("wiki:watchlist")).status_code == 302
    assert Watch.objects.count() == before


def test_a_page_one_may_not_read_cannot_be_watched(client, member, guide, wiki_cm):
    protect(actor=wiki_cm, page=guide, read_level=3, edit_level=3, reason="")
    client.force_login(member)
    assert client.post(reverse("wiki:watch", args=[guide.path])).status_code == 404
    assert not Watch.objects.filter(user=member).exists()


def test_subtree_watchers_are_found_by_path_prefix(wiki_root, wiki_cm, guide):
    member, other = UserFactory(username="subtree_fan"), UserFactory(username="just_root")
    child = create_page(actor=wiki_cm, parent=guide, title="Child", body="x").page
    watch(actor=member, page=guide, subtree=True)
    watch(actor=other, page=wiki_root)  # not its sub-pages
    assert member.pk in watcher_ids(child) and other.pk not in watcher_ids(child)
    unwatch(actor=member, page=guide)
    assert member.pk not in watcher_ids(child)


def test_the_watchlist_shows_last_changes_in_constant_queries(client, wiki_root, django_assert_max_num_queries):
    member = UserFactory(username="watcher")
    client.force_login(member)
    assert "You watch no wiki page yet" in client.get(reverse("wiki:watchlist")).content.decode()

    def make(count, start):
        for index in range(start, start + count):
            page = create_page(actor=member, parent=wiki_root, title=f"Page {index}", body="a").page
            save_revision(actor=member, page=page, body="b", base=1, summary=f"summary {index}")

    make(3, 0)
    with django_assert_max_num_queries(6) as few:
        body = client.get(reverse("wiki:watchlist")).content.decode()
    assert "Page 2" in body and "summary 2" in body and "watcher" in body
    make(27, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(reverse("wiki:watchlist")).content.decode()
    assert "Page 29" in body and "Page 1 of 1" not in body
    assert client.get(reverse("wiki:watchlist") + "?page=9").status_code == 404


def test_the_watchlist_hides_pages_no_longer_readable(client, wiki_root, wiki_cm):
    member = UserFactory(username="watcher")
    page = create_page(actor=member, parent=wiki_root, title="Secret plans", body="a").page
    protect(actor=wiki_cm, page=page, read_level=3, edit_level=3, reason="")
    client.force_login(member)
    assert "Secret plans" not in client.get(reverse("wiki:watchlist")).content.decode()
