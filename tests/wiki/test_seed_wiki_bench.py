"""The standard wiki benchmark dataset (shared/bench/WIKI_DATASET.md): the generator reproduces it
byte for byte (its SHA-256), and `manage.py seed_wiki_bench` seeds a slice of it as real wiki rows."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from community.models import SpamStatus, User, Visibility
from wiki import bench_data as data
from wiki.management.commands import seed_wiki_bench
from wiki.models import Link, Page, Revision


def test_the_generator_reproduces_the_standard_dataset():
    assert data.digest() == data.EXPECTED_DIGEST
    assert len(data.PAGES) == 611
    assert sum(1 for _ in data.revisions()) == 1611


def test_the_dataset_has_the_sizes_the_definition_states():
    history = list(data.history_bodies())
    assert len(history) == 1000 and (min(map(len, history)), max(map(len, history))) == (4921, 5326)
    first, second = data.big_bodies()
    assert (len(first), len(second), first.count("\n")) == (99458, 99563, 1773)
    assert data.PAGES[1 + 61 * 5 + 1 + 6 * 5 + 1 + 2].path == "section-5/page-5-5/sub-5-5-2/"


def test_an_edit_of_the_write_benchmark_replaces_only_the_first_paragraph():
    base = data.body(100, 6, 10100)
    edited = data.edit_body(base, 1)
    assert edited != base and edited.split("\n\n")[1:] == base.split("\n\n")[1:]


def test_links_point_into_the_wiki():
    assert seed_wiki_bench.wiki_text("See [Home](/), [Page 0.1](/section-0/page-0-1/).") == \
        "See [Home](/wiki/), [Page 0.1](/wiki/section-0/page-0-1/)."


@pytest.mark.django_db
def test_seeding_a_slice_makes_a_tree_of_pages_with_revisions_and_links(tmp_path):
    urls = tmp_path / "wiki_urls.txt"

    call_command("seed_wiki_bench", "--sections", "1", urls_file=str(urls))

    assert Page.objects.count() == 62  # the root and section 0 (10 pages x 5 sub-pages)
    assert User.objects.filter(username__regex=r"^user[0-9]{4}$").count() == 1000
    # The mptt fields are those mptt would compute itself.
    before = list(Page.objects.order_by("pk").values_list("pk", "lft", "rght", "tree_id", "level"))
    Page.objects.rebuild()
    assert list(Page.objects.order_by("pk").values_list("pk", "lft", "rght", "tree_id", "level")) == before
    root = Page.objects.get(path="")
    assert [p.path for p in root.get_children()] == ["section-0/"]
    assert Page.objects.get(path="section-0/page-0-3/sub-0-3-4/").get_ancestors().count() == 3

    history = Page.objects.get(path=data.HISTORY_PAGE)
    assert (history.revision_count, history.last_number) == (1000, 1000)
    newest = history.current_revision
    assert newest.number == 1000 and newest.author.username == "user0999" and newest.summary == "Edit 1000"
    assert history.body_html == newest.body_html and "<p>" in history.body_html
    revisions = Revision.objects.filter(page=history)
    assert revisions.count() == 1000
    assert not revisions.exclude(status=Visibility.PUBLISHED, spam_status=SpamStatus.HAM, patrolled=True).exists()
    second = revisions.get(number=2)
    assert second.added_text and second.added_text in second.body and second.added_text not in \
        revisions.get(number=1).body
    assert '/wiki/' in newest.body and "](/section" not in newest.body

    big = Page.objects.get(path=data.BIG_PAGE)
    assert big.revision_count == 2 and len(big.current_revision.body) == 99563 + 3 * len("/wiki")

    page = Page.objects.get(path="section-0/page-0-2/")
    assert page.revision_count == 1 and page.current_revision.author.username == f"user{(37 * 14) % 1000:04d}"
    targets = [data.PAGES[t].path for t in data.link_targets(14)]
    assert set(Link.objects.filter(source=page).values_list("target_path", flat=True)) == set(targets)
    linked = Link.objects.filter(source=page, target__isnull=False).values_list("target__path", flat=True)
    assert set(linked) == {path for path in targets if Page.objects.filter(path=path).exists()}

    lines = dict(line.split(" ", 1) for line in urls.read_text().splitlines())
    assert lines["page"] == "/wiki/section-5/page-5-5/sub-5-5-2/"
    assert lines["diff"] == "/wiki/section-0/page-0-0/_diff/?from=999&to=1000"
    assert lines["bigdiff"] == "/wiki/section-0/page-0-1/_diff/?from=1&to=2"
    assert lines["history"] == "/wiki/section-0/page-0-0/_history/"


@pytest.mark.django_db
def test_seeding_again_needs_reset_and_reset_reseeds(tmp_path):
    urls = str(tmp_path / "wiki_urls.txt")
    call_command("seed_wiki_bench", "--sections", "1", urls_file=urls)

    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_wiki_bench", "--sections", "1", urls_file=urls)
    call_command("seed_wiki_bench", "--sections", "1", "--reset", urls_file=urls)

    assert Page.objects.count() == 62 and Revision.objects.count() == 60 + 1000 + 2
    assert User.objects.filter(username="user0007").count() == 1


@pytest.mark.django_db
def test_a_generator_that_drifts_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(data, "EXPECTED_DIGEST", "0" * 64)

    with pytest.raises(CommandError, match="digest"):
        call_command("seed_wiki_bench", "--sections", "1", urls_file=str(tmp_path / "u.txt"))
    assert not Page.objects.exists()
