"""The wiki's pages as readers see them: the page, breadcrumbs, contents, child pages, red links,
missing pages, held pages, what links here, wanted pages, and what each costs in SQL."""

import pytest

from community.models import Visibility
from tests.factories import UserFactory
from wiki.models import Link, Page, Revision
from wiki.services.editing import create_page, save_revision

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(db):
    return UserFactory(username="writer")


@pytest.fixture
def guides(wiki_root, writer):
    return create_page(actor=writer, parent=wiki_root, title="Guides", body="All the guides.").page


def make(parent, title, body, actor):
    return create_page(actor=actor, parent=parent, title=title, body=body).page


def test_a_page_shows_breadcrumbs_title_contents_children_and_last_editor(client, guides, writer):
    page = make(guides, "Getting started", "# Install\n\nSteps.\n\n## Configure\n\nMore [[Guides]].", writer)
    make(page, "Advanced", "Deep.", writer)
    answer = client.get("/wiki/guides/getting-started/")
    html = answer.content.decode()
    assert answer.status_code == 200
    assert '<a href="/wiki/guides/">Guides</a>' in html  # the breadcrumb
    assert "<h1>Getting started</h1>" in html
    assert '<h1 id="h-install">Install</h1>' in html and 'href="#h-configure"' in html  # the contents
    assert 'href="/wiki/guides/getting-started/advanced/">Advanced</a>' in html  # a child page
    assert 'href="/wiki/guides/" class="wikilink">Guides</a>' in html  # a bare title found by title
    assert "Last edited by Writer" in html
    assert 'href="/wiki/guides/getting-started/_edit/"' in html  # the tabs


def test_the_root_page_and_the_empty_wiki(client, cm, wiki_cm):
    answer = client.get("/wiki/")
    assert answer.status_code == 200 and "The wiki is empty for now" in answer.content.decode()
    assert "Create the home page" not in answer.content.decode()
    client.force_login(wiki_cm)
    assert "Create the home page" in client.get("/wiki/").content.decode()
    answer = client.post("/wiki/_new/?path=", {"title": "Home", "body": "Welcome."})
    assert answer.status_code == 302 and answer["Location"] == "/wiki/"
    html = client.get("/wiki/").content.decode()
    assert "<h1>Home</h1>" in html and "Welcome." in html


def test_a_red_link_leads_to_creating_the_page_and_turns_blue_without_rendering_again(client, guides, writer):
    page = make(guides, "FAQ", "See [[Troubleshooting]] and [[guides/faq/deep|the deep end]].", writer)
    html = client.get("/wiki/guides/faq/").content.decode()
    assert ('<a href="/wiki/_new/?path=guides/troubleshooting/&amp;title=Troubleshooting" class="wikilink new" '
            'title="This page does not exist yet">Troubleshooting</a>') in html
    assert 'href="/wiki/_new/?path=guides/faq/deep/&amp;title=the%20deep%20end" class="wikilink new"' in html
    stored = Page.objects.get(pk=page.pk).body_html
    make(guides, "Troubleshooting", "Fixes.", writer)
    assert Page.objects.get(pk=page.pk).body_html == stored  # nothing rendered again
    html = client.get("/wiki/guides/faq/").content.decode()
    assert '<a href="/wiki/guides/troubleshooting/" class="wikilink">Troubleshooting</a>' in html
    assert 'class="wikilink new"' in html  # the other one is still red


def test_a_missing_page_is_a_404_offering_to_create_it_to_who_may(client, guides, writer):
    answer = client.get("/wiki/guides/nowhere/")
    html = answer.content.decode()
    assert answer.status_code == 404 and "This page does not exist yet" in html
    assert "Create this page" not in html and "Log in to create it" in html
    client.force_login(writer)
    html = client.get("/wiki/guides/nowhere/").content.decode()
    assert 'href="/wiki/_new/?path=guides/nowhere/"' in html and "Create this page" in html
    answer = client.get("/wiki/guides/no/where/")
    assert answer.status_code == 404 and "does not exist either" in answer.content.decode()


def test_a_page_whose_only_revision_is_held_is_shown_to_its_author_and_cms_only(client, guides, wiki_cm):
    newcomer = UserFactory(username="newcomer", trust_level=0)
    revision = make(guides, "Fresh", "New words.", newcomer).current_revision
    page = Page.objects.get(path="guides/fresh/")
    held = Revision.objects.get(page=page)
    if held.status != Visibility.PENDING:  # the new-member rules let it through: hold it by hand
        Revision.objects.filter(pk=held.pk).update(status=Visibility.PENDING)
        Page.objects.filter(pk=page.pk).update(current_revision=None, body_html="")
    del revision
    assert client.get("/wiki/guides/fresh/").status_code == 404
    client.force_login(UserFactory(username="other"))
    assert client.get("/wiki/guides/fresh/").status_code == 404
    assert client.get("/wiki/guides/fresh/_edit/").status_code == 404
    client.force_login(newcomer)
    answer = client.get("/wiki/guides/fresh/")
    assert answer.status_code == 200 and "waits for a moderator" in answer.content.decode()
    assert "New words." in answer.content.decode()
    client.force_login(wiki_cm)
    assert client.get("/wiki/guides/fresh/").status_code == 200


def test_a_protected_page_for_readers_is_404_to_others(client, guides, writer):
    page = make(guides, "Secret", "Hush.", writer)
    Page.objects.filter(pk=page.pk).update(read_level=3)
    client.force_login(writer)
    assert client.get("/wiki/guides/secret/").status_code == 404
    assert client.get("/wiki/guides/secret/_links/").status_code == 404


def test_what_links_here_lists_only_readable_pages_paginated(client, guides, writer):
    target = make(guides, "Target", "Here.", writer)
    for n in range(3):
        make(guides, f"Source {n}", "To [[Target]].", writer)
    hidden = make(guides, "Hidden source", "To [[Target]].", writer)
    Page.objects.filter(pk=hidden.pk).update(read_level=3)
    html = client.get("/wiki/guides/target/_links/").content.decode()
    assert all(f"Source {n}" in html for n in range(3)) and "Hidden source" not in html
    assert Link.objects.filter(target=target).count() == 4
    empty = client.get("/wiki/guides/_links/").content.decode()
    assert "No page links here yet." in empty


def test_wanted_pages_count_links_from_readable_pages_most_wanted_first(client, guides, writer):
    make(guides, "One", "[[Alpha]] [[Beta]]", writer)
    make(guides, "Two", "[[Alpha]]", writer)
    secret = make(guides, "Three", "[[Beta]] [[Gamma]]", writer)
    Page.objects.filter(pk=secret.pk).update(read_level=3)
    html = client.get("/wiki/_wanted/").content.decode()
    assert html.index("guides/alpha/") < html.index("guides/beta/")
    assert "2 links" in html and "guides/gamma/" not in html
    assert 'href="/wiki/_new/?path=guides/alpha/"' in html


def test_wanted_pages_empty_state(client, wiki_root):
    assert "No wanted pages" in client.get("/wiki/_wanted/").content.decode()


def test_children_are_bounded(client, guides, writer, monkeypatch):
    from wiki.views import pages

    monkeypatch.setattr(pages, "CHILDREN_SHOWN", 2)
    for n in range(3):
        make(guides, f"Child {n}", "x", writer)
    html = client.get("/wiki/guides/").content.decode()
    assert "Child 1" in html and "Child 2" not in html and "Only the first 2 pages are listed." in html


def _grow(page, actor, revisions, links):
    body = " ".join(f"[[Missing {n}]] [[Guides]]" for n in range(links))
    number = page.last_number
    for n in range(revisions):
        number = save_revision(actor=actor, page=page, body=f"{body}\n\nVersion {n}.", base=number).number
        page.refresh_from_db()


@pytest.mark.parametrize("who", ["visitor", "writer"])
def test_the_page_costs_the_same_sql_at_any_size(client, guides, writer, who, django_assert_max_num_queries):
    small = make(guides, "Small", "x", writer)
    big = make(guides, "Big", "x", writer)
    _grow(small, writer, 2, 2)
    _grow(big, writer, 30, 40)
    for n in range(5):
        make(big, f"Kid {n}", "y", writer)
    if who == "writer":
        client.force_login(writer)
    counts = []
    for path in ("/wiki/guides/small/", "/wiki/guides/big/"):
        client.get(path)  # warm
        with django_assert_max_num_queries(8) as captured:
            answer = client.get(path)
        assert answer.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_page_with_a_thousand_revisions_costs_what_a_page_with_one_does(client, guides, writer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make(guides, "One revision", "x", writer)
    many = make(guides, "Many revisions", "x", writer)
    Revision.objects.bulk_create([
        Revision(page=many, number=n, author=writer, title="Many revisions", body=f"v{n}", body_html=f"<p>v{n}</p>")
        for n in range(2, 1001)])
    Page.objects.filter(pk=many.pk).update(last_number=1000, revision_count=1000)
    client.get("/wiki/guides/one-revision/")
    with CaptureQueriesContext(connection) as first:
        client.get("/wiki/guides/one-revision/")
    with CaptureQueriesContext(connection) as second:
        assert client.get("/wiki/guides/many-revisions/").status_code == 200
    assert len(first) == len(second) <= 8
    # No revision list is read: only the current one's facts, joined to the page's row.
    assert not any('FROM "wiki_revision"' in q["sql"] for q in second.captured_queries)
