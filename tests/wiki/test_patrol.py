"""Patrol: new members' edits wait for a CM's look; trusted members' are patrolled as saved; the
patrol list, the Patrol button (plain and htmx), and the review queue's panel."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import UserFactory
from wiki.models import PageLog, Revision
from wiki.services.editing import create_page, save_revision
from wiki.services.patrol import patrol, patrol_many, unpatrolled_count

pytestmark = pytest.mark.django_db

PATROL = reverse("wiki:patrol")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def newcomer(db):
    return UserFactory(username="newbie", display_name="New Bie", trust_level=0)


def new_edits(n, *, parent, author):
    page = create_page(actor=author, parent=parent, title=f"Draft by {author.username}", body="Line 0").page
    for i in range(1, n):
        save_revision(actor=author, page=page, body=f"Line 0\nLine {i}", base=i)
    return page


def test_new_members_edits_wait_for_patrol_and_trusted_ones_do_not(wiki_root, newcomer):
    trusted = UserFactory(username="trusted")
    page = create_page(actor=newcomer, parent=wiki_root, title="Mine", body="Hello.").page
    other = save_revision(actor=trusted, page=page, body="Hello there.", base=1)
    first = Revision.objects.get(page=page, number=1)
    assert not first.patrolled and other.patrolled


def test_patrol_is_for_cms_idempotent_and_logged(wiki_root, wiki_cm, newcomer):
    page = new_edits(2, parent=wiki_root, author=newcomer)
    revision = Revision.objects.get(page=page, number=2)
    with pytest.raises(PermissionDenied):
        patrol(actor=UserFactory(), revision=revision)
    assert patrol(actor=wiki_cm, revision=revision)
    assert not patrol(actor=wiki_cm, revision=revision)
    revision.refresh_from_db()
    assert revision.patrolled and revision.patrolled_by == wiki_cm and revision.patrolled_at
    assert PageLog.objects.filter(page=page, action=PageLog.Action.PATROL).count() == 1
    assert patrol_many(actor=wiki_cm, revisions=list(Revision.objects.filter(page=page))) == 1
    assert unpatrolled_count(wiki_cm) == 0


def test_the_patrol_list_shows_diffs_and_buttons_and_says_when_empty(client, wiki_root, wiki_cm, newcomer):
    client.force_login(wiki_cm)
    assert "Nothing to patrol" in client.get(PATROL).content.decode()
    page = new_edits(2, parent=wiki_root, author=newcomer)
    html = client.get(PATROL).content.decode()
    assert "2 edits to patrol." in html and "Draft by newbie" in html and "New Bie (@newbie)" in html
    assert f'href="/wiki/{page.path}_diff/?to=2"' in html
    assert html.index("?to=2") < html.index("?to=1")  # newest first
    assert html.count(">Patrol</button>") == 2


def test_only_cms_see_the_patrol_list(client, wiki_root):
    assert client.get(PATROL).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(PATROL).status_code == 403
    assert client.get(PATROL, {"page": 9}).status_code == 403


def test_a_page_number_past_the_end_is_not_found(client, wiki_cm):
    client.force_login(wiki_cm)
    assert client.get(PATROL, {"page": 9}).status_code == 404
    assert client.get(PATROL, {"page": "99999999999999999999"}).status_code == 404


def test_an_htmx_patrol_on_the_list_updates_the_lists_count(client, wiki_root, wiki_cm, newcomer):
    page = new_edits(2, parent=wiki_root, author=newcomer)
    one, two = Revision.objects.filter(page=page).order_by("number")
    client.force_login(wiki_cm)
    assert '<p id="wiki-patrol-count" role="status">2 edits to patrol.</p>' in client.get(PATROL).content.decode()
    on_list = {**HTMX, "HTTP_HX_CURRENT_URL": f"http://testserver{PATROL}?page=1"}
    html = client.post(reverse("wiki:patrol_revision", args=[one.pk]), **on_list).content.decode()
    assert "Patrolled" in html
    assert '<p id="wiki-patrol-count" role="status" hx-swap-oob="true">1 edit to patrol.</p>' in html
    html = client.post(reverse("wiki:patrol_revision", args=[two.pk]), **on_list).content.decode()
    assert "Nothing left to patrol." in html
    # Elsewhere (recent changes, the review queue) there is no count to update.
    elsewhere = {**HTMX, "HTTP_HX_CURRENT_URL": "http://testserver/wiki/_recent/"}
    html = client.post(reverse("wiki:patrol_revision", args=[one.pk]), **elsewhere).content.decode()
    assert "Already patrolled" in html and "wiki-patrol-count" not in html


def test_the_patrol_button_redirects_back_or_answers_htmx(client, wiki_root, wiki_cm, newcomer):
    page = new_edits(2, parent=wiki_root, author=newcomer)
    one, two = Revision.objects.filter(page=page).order_by("number")
    url = reverse("wiki:patrol_revision", args=[one.pk])
    member = UserFactory()
    client.force_login(member)
    assert client.post(url).status_code == 403
    client.force_login(wiki_cm)
    assert client.get(url).status_code == 405
    response = client.post(url, {"next": "/wiki/_recent/"})
    assert response.status_code == 302 and response["Location"] == "/wiki/_recent/"
    response = client.post(reverse("wiki:patrol_revision", args=[two.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == PATROL
    fragment = client.post(url, **HTMX)
    assert fragment.status_code == 200 and "Already patrolled" in fragment.content.decode()
    assert client.post(reverse("wiki:patrol_revision", args=[999999])).status_code == 404
    assert client.post(reverse("wiki:patrol_revision", args=[10**20])).status_code == 404
    assert "Nothing to patrol" in client.get(PATROL).content.decode()


def test_the_review_queue_shows_a_panel_of_edits_to_patrol(client, wiki_root, wiki_cm, newcomer):
    client.force_login(wiki_cm)
    assert "Wiki edits to patrol" not in client.get(reverse("moderation:queue")).content.decode()
    new_edits(7, parent=wiki_root, author=newcomer)
    html = client.get(reverse("moderation:queue")).content.decode()
    assert "Wiki edits to patrol (7)" in html
    assert html.count(">Patrol</button>") == 5  # a few, and a link to the whole list
    assert f'href="{PATROL}"' in html


@pytest.mark.parametrize("size", [3, 30])
def test_the_patrol_list_costs_the_same_whatever_its_size(size, client, wiki_root, wiki_cm,
                                                         django_assert_num_queries):
    for n in range(size):
        author = UserFactory(trust_level=0)
        create_page(actor=author, parent=wiki_root, title=f"Page {n}", body="Text.")
    client.force_login(wiki_cm)
    # the user (1; their roles from the cache), the count and the page with pages and authors joined (2)
    with django_assert_num_queries(3):
        response = client.get(PATROL)
    assert response.content.decode().count(">Patrol</button>") == size
