"""Two editors on one wiki page, on PostgreSQL with real commits: no edit is ever lost.

Each editor is a thread with its own database connection, both starting from the same revision and
saving at the same moment (a barrier). Non-overlapping edits are both kept (the three-way merge);
overlapping ones give the second a conflict carrying their text; many concurrent saves never lose a
revision and the numbers stay unique and gapless.

Only PostgreSQL is needed: `env -u REDIS_URL DATABASE_URL=postgres://postgres@127.0.0.1:5432/tribune_wc \
 .venv/bin/pytest tests/integration/test_wiki_conflicts.py -q`.
"""

import threading

import pytest
from django.db import connection

from tests.factories import UserFactory
from wiki.models import Page, Revision
from wiki.services.editing import EditConflict, NoChange, create_page, save_revision

pytestmark = pytest.mark.integration

BASE = "\n\n".join(f"Paragraph {n}." for n in range(1, 9))
JOIN_TIMEOUT = 120


@pytest.fixture(autouse=True)
def _integration(request, transactional_db, settings):
    """PostgreSQL with committed writes only (with REDIS_URL set, the session's worker runs too)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if settings.REDIS_URL:
        request.getfixturevalue("redis_server")
        request.getfixturevalue("celery_worker")


@pytest.fixture
def editors(roles):
    return UserFactory.create_batch(8)


@pytest.fixture
def page(editors):
    cm = UserFactory(username="wikicm", roles=["Community managers"])
    root = create_page(actor=cm, parent=None, title="Home", body="Welcome.").page
    return create_page(actor=editors[0], parent=root, title="Shared", body=BASE).page


def together(work, count):
    """work(i) in `count` threads released at once; returns {i: result or exception}."""
    barrier = threading.Barrier(count)
    results = {}

    def target(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - the test looks at it
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "an editor is stuck (deadlock?)"
    return results


def assert_numbers_exact(page_id):
    page = Page.objects.get(pk=page_id)
    numbers = list(Revision.objects.filter(page_id=page_id).order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert page.last_number == page.revision_count == len(numbers)
    assert page.current_revision.number == len(numbers)
    return page


def test_non_overlapping_edits_from_the_same_base_are_both_kept(page, editors):
    edits = [BASE.replace("Paragraph 1.", "Paragraph one, by the first."),
             BASE.replace("Paragraph 8.", "Paragraph eight, by the second.")]
    results = together(lambda i: save_revision(actor=editors[i], page=Page.objects.get(pk=page.pk),
                                               body=edits[i], base=1), 2)
    assert all(isinstance(result, Revision) for result in results.values()), results
    page = assert_numbers_exact(page.pk)
    text = page.current_revision.body
    assert "Paragraph one, by the first." in text and "Paragraph eight, by the second." in text
    assert sum(1 for result in results.values() if result.merged_with is not None) == 1


def test_overlapping_edits_give_the_second_editor_a_conflict_with_their_text(page, editors):
    edits = [BASE.replace("Paragraph 4.", "Paragraph four, first."),
             BASE.replace("Paragraph 4.", "Paragraph four, second.")]
    results = together(lambda i: save_revision(actor=editors[i], page=Page.objects.get(pk=page.pk),
                                               body=edits[i], base=1), 2)
    saved = [i for i, result in results.items() if isinstance(result, Revision)]
    refused = [i for i, result in results.items() if isinstance(result, EditConflict)]
    assert len(saved) == 1 and len(refused) == 1, results
    conflict = results[refused[0]]
    assert conflict.mine == edits[refused[0]] and conflict.current.number == 2
    page = assert_numbers_exact(page.pk)
    assert page.current_revision.body == edits[saved[0]]


def test_many_concurrent_saves_never_lose_a_revision(page, editors):
    """Eight editors, each changing their own paragraph five times from what they last saw."""

    def work(i):
        saved, outcomes = 0, []
        for round_ in range(5):
            current = Page.objects.select_related("current_revision").get(pk=page.pk).current_revision
            lines = current.body.split("\n\n")
            lines[i] = f"Paragraph {i + 1}, edit {round_} by editor {i}."
            try:
                revision = save_revision(actor=editors[i], page=Page.objects.get(pk=page.pk),
                                         body="\n\n".join(lines), base=current.number)
            except (EditConflict, NoChange) as exc:
                outcomes.append(exc)
                continue
            saved += 1
            outcomes.append(revision.number)
        return saved, outcomes

    results = together(work, 8)
    assert not [r for r in results.values() if isinstance(r, BaseException)], results
    total = sum(saved for saved, _outcomes in results.values())
    page = assert_numbers_exact(page.pk)
    assert page.revision_count == 1 + total
    numbers = [n for _saved, outcomes in results.values() for n in outcomes if isinstance(n, int)]
    assert len(numbers) == len(set(numbers)) == total
    # Every paragraph carries its editor's last saved words: merges kept everyone's edits.
    text = page.current_revision.body
    for i, (saved, outcomes) in results.items():
        if saved:
            last = max(round_ for round_, outcome in enumerate(outcomes) if isinstance(outcome, int))
            assert f"Paragraph {i + 1}, edit {last} by editor {i}." in text
