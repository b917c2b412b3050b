"""Recent changes (filters, patrol buttons, query counts), the Atom feed, contributions and the
profile's wiki tab."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from community.models import Visibility
from tests.factories import UserFactory
from wiki.models import Page, Revision
from wiki.services.editing import create_page, save_revision

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def wiki(wiki_root):
    ann = UserFactory(username="ann")
    bob = UserFactory(username="bob")
    guides = create_page(actor=ann, parent=wiki_root, title="Guides", body="Guides.").page
    start = create_page(actor=bob, parent=guides, title="Getting started", body="Start.").page
    save_revision(actor=ann, page=start, body="Start here.", base=1, summary="typo", minor=True)
    rules = create_page(actor=bob, parent=wiki_root, title="Rules", body="Be kind.").page
    return {"ann": ann, "bob": bob, "guides": guides, "start": start, "rules": rules}


def test_recent_changes_list_every_edit_newest_first_with_links(client, wiki):
    html = client.get(reverse("wiki:recent")).content.decode()
    assert html.index("Rules") < html.index("Getting started") < html.index("Guides</a>")
    assert reverse("wiki:diff", args=[wiki["start"].path]) + "?to=2" in html
    assert reverse("wiki:history", args=["rules/"]) in html
    assert ">N</abbr>" in html and ">m</abbr>" in html and "typo" in html


def test_the_filters(client, wiki):
    url = reverse("wiki:recent")
    under = client.get(url + "?under=guides").content.decode()
    assert "Getting started" in under and "Rules" not in under
    by_ann = client.get(url + "?member=ann").content.decode()
    assert "Guides</a>" in by_ann and "Rules" not in by_ann and "Start.</" not in by_ann
    no_minor = client.get(url + "?hide_minor=1").content.decode()
    assert "typo" not in no_minor and "Rules" in no_minor
    assert "No changes to show." in client.get(url + "?member=nobody").content.decode()


def test_community_managers_see_unpatrolled_edits_and_a_patrol_button(client, wiki, cm):
    newbie = UserFactory(username="newbie", trust_level=0)
    save_revision(actor=newbie, page=wiki["rules"], body="Be very kind.", base=1, summary="newbie edit")
    url = reverse("wiki:recent") + "?unpatrolled=1"
    visitor_view = client.get(url).content.decode()
    assert "Mark as patrolled" not in visitor_view and "Guides</a>" in visitor_view  # ignored for visitors
    client.force_login(cm)
    html = client.get(url).content.decode()
    revision = Revision.objects.get(summary="newbie edit")
    assert "newbie edit" in html and "Guides</a>" not in html
    assert reverse("wiki:patrol_revision", args=[revision.pk]) in html and "Mark as patrolled" in html


@pytest.mark.parametrize("size", [3, 30])
def test_recent_changes_cost_the_same_at_any_size(client, wiki_root, size, django_assert_max_num_queries):
    writer = UserFactory(username="writer")
    for n in range(size):
        create_page(actor=writer, parent=wiki_root, title=f"Page {n}", body=f"Text {n}")
    client.force_login(writer)
    client.get(reverse("wiki:recent"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("wiki:recent")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("wiki:contributions", args=["writer"])).status_code == 200


def test_recent_changes_are_paginated(client, wiki_root):
    writer = UserFactory(username="writer")
    page = create_page(actor=writer, parent=wiki_root, title="Busy", body="0").page
    for n in range(1, 52):
        save_revision(actor=writer, page=page, body=str(n), base=n, summary=f"edit {n}")
    first = client.get(reverse("wiki:recent")).content.decode()
    assert "edit 51" in first and "Older" in first
    second = client.get(reverse("wiki:recent") + "?page=2").content.decode()
    assert "Newer" in second and "edit 51" not in second
    assert client.get(reverse("wiki:recent") + "?page=9").status_code == 404
    assert client.get(reverse("wiki:recent") + "?page=x").status_code == 404


def test_the_feed_is_atom_and_links_to_the_diffs(client, wiki):
    response = client.get(reverse("wiki:recent_feed"))
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "<feed" in body and "Getting started" in body
    assert f"/wiki/{wiki['start'].path}_diff/?to=2" in body
    filtered = client.get(reverse("wiki:recent_feed") + "?under=guides").content.decode()
    assert "Rules" not in filtered


def test_the_feed_escapes_summaries(client, wiki):
    save_revision(actor=wiki["ann"], page=wiki["rules"], body="Other.", base=1, summary="<img src=x onerror=y>")
    body = client.get(reverse("wiki:recent_feed")).content.decode()
    assert "<img" not in body and "&lt;img" not in body.replace("&amp;lt;img", "")


def test_contributions_and_the_profile_tab(client, wiki):
    html = client.get(reverse("wiki:contributions", args=["ann"])).content.decode()
    assert "Guides</a>" in html and "typo" in html and "Rules" not in html
    assert client.get(reverse("wiki:contributions", args=["nobody"])).status_code == 404
    profile = client.get(reverse("community:profile", args=["ann"]) + "?tab=wiki.edits").content.decode()
    assert "Wiki edits" in profile and "Getting started" in profile and "typo" in profile


def test_hidden_edits_are_left_out_for_readers(client, wiki, cm):
    Revision.objects.filter(summary="typo").update(status=Visibility.HIDDEN)
    assert "typo" not in client.get(reverse("wiki:recent")).content.decode()
    assert "typo" not in client.get(reverse("wiki:contributions", args=["ann"])).content.decode()
    client.force_login(cm)
    assert "typo" in client.get(reverse("wiki:recent")).content.decode()
    assert Page.objects.count() == 4


def test_the_feeds_links_use_the_requests_host(client, wiki, settings):
    settings.ALLOWED_HOSTS = ["wiki.example.org"]
    body = client.get(reverse("wiki:recent_feed"), HTTP_HOST="wiki.example.org").content.decode()
    assert f"http://wiki.example.org/wiki/{wiki['start'].path}_diff/?to=2" in body
    assert "127.0.0.1:8000" not in body and "example.com" not in body
    assert "http://wiki.example.org/wiki/_recent/" in body or "http://wiki.example.org/wiki/" in body

