"""The wiki's UI as a browser walk-through found it: the nav, Watch, manage links, View source,
red links (their label, hidden and deleted pages, visitors), bare links to top-level pages."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from wiki.models import Page, Watch
from wiki.rendering import render
from wiki.services.deleting import delete
from wiki.services.editing import create_page
from wiki.services.watching import watch

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(db):
    return UserFactory(username="writer")


@pytest.fixture
def guides(wiki_root, writer):
    return create_page(actor=writer, parent=wiki_root, title="Guides", body="All the guides.").page


def make(parent, title, body, actor):
    return create_page(actor=actor, parent=parent, title=title, body=body).page


def test_the_wiki_nav_is_on_pages_and_special_pages_by_role(client, guides, writer, wiki_cm):
    html = client.get("/wiki/guides/").content.decode()
    assert 'href="/wiki/_recent/"' in html and 'href="/wiki/_wanted/"' in html
    assert 'href="/wiki/_watchlist/"' not in html and 'href="/wiki/_patrol/"' not in html
    client.force_login(writer)
    for url in ("/wiki/guides/", "/wiki/_recent/", "/wiki/_wanted/", "/wiki/_watchlist/", "/wiki/guides/_history/"):
        html = client.get(url).content.decode()
        assert 'class="wiki-nav"' in html and 'href="/wiki/_watchlist/"' in html and 'href="/wiki/_new/"' in html, url
        assert 'href="/wiki/_patrol/"' not in html
    client.force_login(wiki_cm)
    html = client.get("/wiki/guides/").content.decode()
    assert 'href="/wiki/_patrol/"' in html
    assert 'href="/wiki/guides/_protect/"' in html and 'href="/wiki/guides/_move/"' in html  # manage links


def test_the_page_has_watch_buttons_and_the_watchlist_an_unwatch_per_row(client, guides, writer):
    assert "Watch with its sub-pages" not in client.get("/wiki/guides/").content.decode()
    client.force_login(writer)
    Watch.objects.filter(user=writer).delete()
    html = client.get("/wiki/guides/").content.decode()
    assert 'action="/wiki/guides/_watch/"' in html and "Watch with its sub-pages" in html
    assert 'href="/wiki/guides/_protect/"' not in html
    watch(actor=writer, page=guides, subtree=True)
    assert "Watching with sub-pages · Stop" in client.get("/wiki/guides/").content.decode()
    html = client.get("/wiki/_watchlist/").content.decode()
    assert 'class="wiki-table wiki-watchlist"' in html and "Unwatch" in html and 'hx-swap="delete"' in html
    client.post("/wiki/guides/_watch/", {"action": "unwatch"})
    assert not Watch.objects.filter(user=writer, page=guides).exists()


def test_a_protected_page_offers_its_source_to_who_may_not_edit(client, guides, writer):
    Page.objects.filter(pk=guides.pk).update(edit_level=3)
    client.force_login(writer)
    html = client.get("/wiki/guides/").content.decode()
    assert ">View source</a>" in html and ">Edit</a>" not in html
    answer = client.get("/wiki/guides/_edit/")
    html = answer.content.decode()
    assert answer.status_code == 403 and "only community managers may edit it" in html
    assert "readonly>All the guides.</textarea>" in html and 'name="save"' not in html


def test_red_links_carry_the_label_and_visitors_land_on_the_missing_page(client, guides, writer):
    make(guides, "FAQ", "See [[guides/faq/deep|The Deep End]].", writer)
    html = client.get("/wiki/guides/faq/").content.decode()
    assert 'href="/wiki/_new/?path=guides/faq/deep/&amp;title=The%20Deep%20End"' in html
    answer = client.get("/wiki/_new/?path=guides/faq/deep/&title=The%20Deep%20End")
    assert answer.status_code == 302 and answer["Location"] == "/wiki/guides/faq/deep/"
    missing = client.get(answer["Location"])
    assert missing.status_code == 404 and "Log in to create it" in missing.content.decode()
    client.force_login(writer)
    form = client.get("/wiki/_new/?path=guides/faq/deep/&title=The%20Deep%20End").content.decode()
    assert 'value="The Deep End"' in form


def test_links_to_pages_the_reader_may_not_open_are_red(client, guides, writer, wiki_cm):
    secret = make(guides, "Secret", "x", writer)
    gone = make(guides, "Gone", "x", writer)
    make(guides, "Index", "[[guides/secret|S]] [[guides/gone|G]] [[guides|Up]]", writer)
    Page.objects.filter(pk=secret.pk).update(read_level=3)
    delete(actor=wiki_cm, page=gone, reason="")
    html = client.get("/wiki/guides/index/").content.decode()
    assert 'href="/wiki/_new/?path=guides/secret/' in html and 'href="/wiki/guides/secret/"' not in html
    assert 'href="/wiki/_new/?path=guides/gone/' in html
    assert '<a href="/wiki/guides/" class="wikilink">Up</a>' in html
    client.force_login(wiki_cm)
    html = client.get("/wiki/guides/index/").content.decode()
    assert '<a href="/wiki/guides/secret/" class="wikilink">S</a>' in html


def test_a_red_link_to_a_deleted_page_says_so_not_a_loop(client, guides, writer, wiki_cm):
    gone = make(guides, "Gone", "x", writer)
    delete(actor=wiki_cm, page=gone, reason="")
    client.force_login(writer)
    answer = client.get("/wiki/_new/?path=guides/gone/")
    html = answer.content.decode()
    assert answer.status_code == 409 and "A page at this address was deleted" in html
    assert "_undelete/" not in html
    client.force_login(wiki_cm)
    html = client.get("/wiki/_new/?path=guides/gone/").content.decode()
    assert reverse("wiki:undelete", args=["guides/gone/"]) in html


def test_a_bare_target_finds_the_top_level_page_with_that_slug(guides, wiki_root, wiki_cm, writer,
                                                                django_assert_num_queries):
    create_page(actor=wiki_cm, parent=wiki_root, title="Community rules", body="Be kind.", slug="community-rules")
    with django_assert_num_queries(1):
        result = render("[[community-rules|the rules]] [[Nowhere]]", base_path="guides/deep/")
    assert result.links == ["community-rules/", "guides/nowhere/"]
    make(guides, "Community rules draft", "x", writer)  # another title: the slug still wins
    assert render("[[community-rules]]", base_path="guides/x/").links == ["community-rules/"]


def test_the_demo_links_the_rules_page_blue(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    for page in Page.objects.filter(body_html__contains="ommunity rules"):
        html = client.get(page.get_absolute_url()).content.decode()
        assert 'href="/wiki/community-rules/" class="wikilink"' in html, page.path
        assert "community-rules/&amp;" not in html and "/community-rules/" not in html.replace(
            'href="/wiki/community-rules/"', "")


def test_old_revision_banner_reads_well_and_offers_a_report(client, guides, writer):
    other = UserFactory(username="other")
    client.force_login(other)
    revision = guides.current_revision
    html = client.get(f"/wiki/guides/_rev/{revision.number}/").content.decode()
    assert "You are reading revision 1 of this page, saved on" in html and "..</p>" not in html
    assert reverse("moderation:report", args=["wiki.revision", revision.pk]) in html
