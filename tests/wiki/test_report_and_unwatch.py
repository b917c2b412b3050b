"""Two small paths a member takes: reporting an edit from the history, and unwatching from the
watchlist without JavaScript (back to the watchlist, never to an address the form names)."""

import pytest

from tests.factories import UserFactory
from wiki.models import Watch
from wiki.services.editing import create_page, save_revision
from wiki.services.watching import watch

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(wiki_root):
    author = UserFactory(username="author")
    page = create_page(actor=author, parent=wiki_root, title="Tyres", body="Tubeless.").page
    second = save_revision(actor=author, page=page, body="Tubeless, mostly.", base=1)
    return page, author, second


def test_the_history_offers_to_report_an_edit_to_other_members_only(client, edited):
    page, author, second = edited
    assert "/moderation/report/" not in client.get("/wiki/tyres/_history/").content.decode()  # a visitor
    client.force_login(author)
    assert "/moderation/report/" not in client.get("/wiki/tyres/_history/").content.decode()  # their own edits
    reader = UserFactory(username="reader")
    client.force_login(reader)
    html = client.get("/wiki/tyres/_history/").content.decode()
    assert f'href="/moderation/report/wiki.revision/{second.pk}/"' in html
    assert client.get(f"/moderation/report/wiki.revision/{second.pk}/").status_code == 200


def test_unwatching_from_the_watchlist_returns_to_the_watchlist(client, edited):
    page, _author, _second = edited
    reader = UserFactory(username="reader")
    watch(actor=reader, page=page)
    client.force_login(reader)
    html = client.get("/wiki/_watchlist/").content.decode()
    assert 'name="next" value="watchlist"' in html
    response = client.post("/wiki/tyres/_watch/", {"action": "unwatch", "next": "watchlist"})
    assert response.status_code == 302 and response["Location"] == "/wiki/_watchlist/"
    assert not Watch.objects.filter(user=reader, page=page).exists()
    watch(actor=reader, page=page)
    response = client.post("/wiki/tyres/_watch/", {"action": "unwatch", "next": "https://evil.example/"})
    assert response["Location"] == "/wiki/tyres/"
