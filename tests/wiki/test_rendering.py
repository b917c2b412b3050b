"""Rendering a page: Markdown, [[links]] resolved by path or title, heading ids, hostile input."""

import time

import pytest

from tests.factories import UserFactory
from wiki.models import Page
from wiki.rendering import MAX_LINKS, red_links, render
from wiki.services.editing import create_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(wiki_root):
    writer = UserFactory(username="writer")
    guides = create_page(actor=writer, parent=wiki_root, title="Guides", body="x").page
    create_page(actor=writer, parent=guides, title="Getting Started", body="x")
    other = create_page(actor=writer, parent=wiki_root, title="Other", body="x").page
    create_page(actor=writer, parent=guides, title="Setup", body="x")
    create_page(actor=writer, parent=other, title="Setup", body="x")  # the same title twice
    return guides


def test_paths_labels_and_titles(tree):
    result = render("[[Guides/Getting started|start here]] [[getting STARTED]] [[/wiki/other]] [[Nowhere]]",
                    base_path="guides/faq/")
    assert '<a href="/wiki/guides/getting-started/" class="wikilink">start here</a>' in result.html
    assert '<a href="/wiki/guides/getting-started/" class="wikilink">getting STARTED</a>' in result.html
    assert '<a href="/wiki/other/" class="wikilink">/wiki/other</a>' in result.html
    # No page has that title: the sibling of the page, under its parent (a red link at view time).
    assert '<a href="/wiki/guides/nowhere/" class="wikilink">Nowhere</a>' in result.html
    assert result.links == ["guides/getting-started/", "other/", "guides/nowhere/"]


def test_an_ambiguous_title_is_a_sibling(tree):
    assert render("[[Setup]]", base_path="guides/faq/").links == ["guides/setup/"]
    assert render("[[Setup]]", base_path="elsewhere/page/").links == ["elsewhere/setup/"]
    assert render("[[Setup]]", base_path="").links == ["setup/"]  # the root's siblings: top level


def test_titles_cost_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        render(" ".join(f"[[Title {n}]]" for n in range(200)), base_path="guides/")
    with django_assert_num_queries(0):
        render("[[a/b]] no titles", base_path="guides/")


def test_a_restricted_page_is_not_found_by_title_from_a_public_one(tree):
    Page.objects.filter(path="guides/getting-started/").update(read_level=3, title="Hidden")
    assert render("[[Hidden]]", base_path="x/").links == ["hidden/"]
    assert render("[[Hidden]]", base_path="x/", read_level=3).links == ["guides/getting-started/"]


def test_code_is_never_a_link_nor_a_markdown_link_text(db):
    result = render("`[[a/b]]`\n\n    [[c/d]]\n\n```\n[[e/f]]\n```\n\n[x [[g/h]]](https://example.com)",
                    base_path="")
    assert result.links == [] and "wikilink" not in result.html
    assert "<code>[[a/b]]</code>" in result.html


def test_labels_and_targets_are_escaped_and_nothing_is_forged(db):
    result = render('[[a/b|<img src=x onerror=alert(1)>]] [[a/c|"><script>]] '
                    '<a href="/wiki/x" class="wikilink">forged</a>', base_path="")
    assert "<img" not in result.html and "<script" not in result.html
    assert "&lt;img src=x onerror=alert(1)&gt;</a>" in result.html
    assert result.html.count("<a ") == 2 and "&lt;a href" in result.html  # the typed tag is text


def test_headings_get_unique_ids_and_a_table_of_contents(db):
    result = render("# Intro\n\n## Intro\n\n### Ça & co\n\n## ***", base_path="")
    assert [entry["id"] for entry in result.toc] == ["h-intro", "h-intro-2", "h-ca-co", "h-section"]
    assert result.toc[2] == {"level": 3, "id": "h-ca-co", "text": "Ça & co"}
    assert '<h2 id="h-intro-2">Intro</h2>' in result.html


def test_a_heading_of_symbols_still_gets_an_id(db):
    assert render("## !!!", base_path="").toc == [{"level": 2, "id": "h-section", "text": "!!!"}]


def test_hostile_input_is_bounded(db):
    start = time.perf_counter()
    render("[[" * 100_000, base_path="")
    many = render(" ".join(f"[[p/{n}]]" for n in range(5000)), base_path="")
    assert len(many.links) == MAX_LINKS
    render("[[" + "a" * 100_000 + "]]", base_path="")
    assert time.perf_counter() - start < 5


def test_red_links_are_rewritten_at_view_time(db):
    html = render("[[a/b]] [[a/c]]", base_path="").html
    red = red_links(html, ["a/c/"])
    assert '<a href="/wiki/a/b/" class="wikilink">' in red
    assert ('<a href="/wiki/_new/?path=a/c/&amp;title=a%2Fc" class="wikilink new" '
            'title="This page does not exist yet">a/c</a>' in red)
    assert red_links(html, []) is html
