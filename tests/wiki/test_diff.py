"""Diffs: the line diff with changed words highlighted, escaped, bounded; the diff view (defaults,
404s, cache, both modes)."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from community.models import Visibility
from tests.factories import UserFactory
from wiki import diffing
from wiki.models import Page, Revision
from wiki.services.editing import create_page, save_revision


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Test databases reuse primary keys after a rollback; the cache of diffs outlives them."""
    cache.clear()


def test_changed_words_are_highlighted_inside_changed_lines():
    result = diffing.render_diff("one\nthe cat sat\nthree", "one\nthe dog sat\nthree")
    assert "the <del>cat</del> sat" in result["rows"] and "the <ins>dog</ins> sat" in result["rows"]
    assert result["added"] == 1 and result["removed"] == 1 and result["words"]


def test_side_by_side_puts_old_left_and_new_right():
    rows = diffing.render_diff("a\nb", "a\nc\nd", mode="side")["rows"]
    assert 'class="code diff-delete"><del>b</del>' in rows and 'class="code diff-insert"><ins>c</ins>' in rows
    assert "<ins>d</ins>" in rows


def test_every_text_is_escaped():
    rows = diffing.render_diff("<b>x</b>", "<script>alert(1)</script>")["rows"]
    assert "<script" not in rows and "<b>" not in rows and "&lt;" in rows and "alert(1)" in rows


def test_unchanged_stretches_are_collapsed_around_changes():
    old = "\n".join(f"line {n}" for n in range(100))
    new = old.replace("line 50", "line fifty")
    rows = diffing.render_diff(old, new)["rows"]
    assert "line 10<" not in rows and "line 47" in rows and "line 53" in rows and "…" in rows
    assert diffing.render_diff(old, old)["rows"] == ""


def test_a_big_page_diffs_fast_and_pathological_texts_stay_bounded():
    lines = [f"Paragraph {n} about the wiki, with some words that repeat: alpha beta gamma." for n in range(900)]
    old = "\n\n".join(lines)
    new = "\n\n".join(line + " changed" if n % 20 == 0 else line for n, line in enumerate(lines))
    started = time.perf_counter()
    result = diffing.render_diff(old, new, mode="side")
    assert time.perf_counter() - started < 1.0
    assert result["added"] == 45 and result["words"]
    # Reshuffled repeated lines and thousands of changed lines: still bounded, whole lines marked.
    many_old = "\n\n".join(f"p {n}" for n in range(3000))
    many_new = "\n\n".join(f"p {n * 7 % 3000}" for n in range(3000))
    started = time.perf_counter()
    result = diffing.render_diff(many_old, many_new)
    assert time.perf_counter() - started < 2.0 and not result["words"]


@pytest.fixture
def page(wiki_root):
    writer = UserFactory(username="writer")
    page = create_page(actor=writer, parent=wiki_root, title="Guide", body="alpha\nbeta\ngamma").page
    save_revision(actor=writer, page=page, body="alpha\nBETA <x>\ngamma", base=1, summary="caps")
    save_revision(actor=writer, page=page, body="alpha\nBETA <x>\ngamma\ndelta", base=2)
    return Page.objects.get(pk=page.pk)


@pytest.mark.django_db
def test_the_diff_defaults_to_the_current_revision_against_the_one_before(client, page):
    html = client.get(reverse("wiki:diff", args=[page.path])).content.decode()
    assert "Differences between revisions 2 and 3" in html and "<ins>delta</ins>" in html
    html = client.get(reverse("wiki:diff", args=[page.path]) + "?from=1&to=2&view=side").content.decode()
    assert "<del>beta</del>" in html and "<ins>BETA &lt;x&gt;</ins>" in html
    first = client.get(reverse("wiki:diff", args=[page.path]) + "?to=1").content.decode()
    assert "<ins>alpha</ins>" in first


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?from=9", "?to=9", "?from=x", "?to=0", "?from=0&to=2", "?from=-1",
                                   "?from=99999999999999999999", "?to=99999999999999999999",
                                   "?from=1&to=99999999999999999999", f"?to={2**31}", "?to=" + "9" * 5000])
def test_bad_or_unknown_numbers_are_a_404(client, page, query):
    assert client.get(reverse("wiki:diff", args=[page.path]) + query).status_code == 404


@pytest.mark.django_db
def test_a_number_of_another_page_is_not_found_in_this_one(client, page, wiki_root):
    other = create_page(actor=UserFactory(), parent=wiki_root, title="Other", body="x").page
    for n in range(1, 6):
        save_revision(actor=other.revisions.first().author, page=other, body=f"x{n}", base=n)
    assert client.get(reverse("wiki:diff", args=[page.path]) + "?from=4&to=5").status_code == 404


@pytest.mark.django_db
def test_the_diff_is_cached_but_permission_is_checked_every_time(client, page, cm, django_assert_max_num_queries):
    cache.clear()
    url = reverse("wiki:diff", args=[page.path]) + "?from=1&to=2"
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(2):  # the page and the two revisions' facts; no text read
        assert client.get(url).status_code == 200
    Revision.objects.filter(page=page, number=1).update(status=Visibility.HIDDEN)
    assert client.get(url).status_code == 404
    client.force_login(cm)
    assert "<del>beta</del>" in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_cached_diff_never_reads_a_text(client, page, monkeypatch):
    cache.clear()
    url = reverse("wiki:diff", args=[page.path]) + "?from=1&to=3&view=side"
    client.get(url)
    monkeypatch.setattr(diffing, "render_diff", lambda *a, **k: pytest.fail("computed twice"))
    assert client.get(url).status_code == 200
