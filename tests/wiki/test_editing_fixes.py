"""The write path under a hostile probe: an approved held edit reaches the page, "remove all content"
leaves no spam in later revisions, a browser's "\\r\\n" is no change, automatic summaries are in the
site's language, titles in other scripts get distinct addresses, the depth limit is stated."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from community.models import Visibility
from moderation import sanctions, watched
from tests.factories import UserFactory
from wiki.models import Page, PageLog, Revision
from wiki.paths import DEPTH_MAX
from wiki.services.editing import NoChange, create_page, save_revision

pytestmark = pytest.mark.django_db

KIND = "wiki.revision"
TEXT = "Intro line.\n\nMiddle line.\n\nEnd line."


@pytest.fixture
def people(db):
    return {name: UserFactory(username=name, roles=["Community managers"] if name == "sam" else [])
            for name in ("maya", "omar", "vandal", "sam")}


def approve(client, cm, revision, capture):
    with capture(execute=True):
        client.force_login(cm)
        answer = client.post(reverse("moderation:decide"), {"kind": KIND, "id": revision.pk, "decision": "restore"})
    assert answer.status_code == 302
    return Page.objects.get(pk=revision.page_id)


def held_edit(people, wiki_root, capture, mine):
    watched.create_word(phrase="casino*", action="approve")
    with capture(execute=True):
        page = create_page(actor=people["omar"], parent=wiki_root, title="Events", body=TEXT).page
        held = save_revision(actor=people["maya"], page=page, body=mine, base=1)
    held.refresh_from_db()
    assert held.status == Visibility.PENDING and held.base_number == 1
    return page, held


def test_an_approved_held_edit_is_merged_into_the_newer_text(
        client, people, wiki_root, django_capture_on_commit_callbacks):
    page, held = held_edit(people, wiki_root, django_capture_on_commit_callbacks,
                           TEXT.replace("Intro line.", "Intro line. Casino night!"))
    with django_capture_on_commit_callbacks(execute=True):
        save_revision(actor=people["omar"], page=page, body=TEXT.replace("End line.", "End line, edited."), base=1)

    with translation.override("fr"):  # the CM reads French; the summary is in the site's language
        page = approve(client, people["sam"], held, django_capture_on_commit_callbacks)
    merged = page.current_revision
    assert merged.number == 4 and merged.author_id == people["maya"].pk
    assert merged.body == "Intro line. Casino night!\n\nMiddle line.\n\nEnd line, edited."
    assert merged.summary == "Approved edit merged (revision 2)"
    assert "Casino night" in page.body_html and "edited" in page.body_html
    assert merged.status == Visibility.PUBLISHED and merged.patrolled
    assert page.revision_count == 4 and page.last_number == 4


def test_an_approved_held_edit_that_overlaps_is_logged_for_the_cms(
        client, people, wiki_root, django_capture_on_commit_callbacks):
    page, held = held_edit(people, wiki_root, django_capture_on_commit_callbacks,
                           TEXT.replace("Intro line.", "Casino intro."))
    with django_capture_on_commit_callbacks(execute=True):
        save_revision(actor=people["omar"], page=page, body=TEXT.replace("Intro line.", "Better intro."), base=1)

    page = approve(client, people["sam"], held, django_capture_on_commit_callbacks)
    assert page.current_revision.number == 3 and "Better intro" in page.body_html  # the current text stays
    entry = PageLog.objects.get(page=page, action=PageLog.Action.UNMERGED)
    assert entry.detail["revision"] == 2 and entry.detail["author"] == "maya"
    client.force_login(people["sam"])
    assert "re-apply it by hand" in client.get(f"/wiki/{page.path}_log/").content.decode()


def spam_then_good_edit(people, wiki_root, capture, good):
    omar, maya, vandal = people["omar"], people["maya"], people["vandal"]
    with capture(execute=True):
        page = create_page(actor=omar, parent=wiki_root, title="Guide", body=TEXT).page
        save_revision(actor=vandal, page=page, body=TEXT + "\n\nBuy pills at spam.example!", base=1)
        save_revision(actor=maya, page=page, body=good, base=2)
    return page


def test_remove_all_content_undoes_the_spam_under_later_edits(people, wiki_root, django_capture_on_commit_callbacks):
    good = TEXT.replace("Intro line.", "Maya's intro.") + "\n\nBuy pills at spam.example!"
    page = spam_then_good_edit(people, wiki_root, django_capture_on_commit_callbacks, good)
    with django_capture_on_commit_callbacks(execute=True), translation.override("fr"):
        sanctions.remove_all_content(actor=people["sam"], member=people["vandal"], reason="Spam")

    page = Page.objects.get(pk=page.pk)
    undo = page.current_revision
    assert undo.number == 4 and undo.author_id == people["sam"].pk
    assert undo.body == TEXT.replace("Intro line.", "Maya's intro.")  # Maya's edit stays, the spam goes
    assert "spam.example" not in page.body_html and "Maya's intro" in page.body_html
    assert undo.summary == "Edits by vandal undone (content removed by moderation)"
    assert undo.patrolled and page.revision_count == 4
    assert Revision.objects.get(page=page, number=2).status == Visibility.REMOVED


def test_remove_all_content_reverts_before_the_member_when_the_undo_overlaps(
        people, wiki_root, django_capture_on_commit_callbacks):
    good = TEXT + "\n\nBuy pills at spam.example! Maya's note."
    page = spam_then_good_edit(people, wiki_root, django_capture_on_commit_callbacks, good)
    with django_capture_on_commit_callbacks(execute=True):
        sanctions.remove_all_content(actor=people["sam"], member=people["vandal"], reason="Spam")

    page = Page.objects.get(pk=page.pk)
    assert page.current_revision.body == TEXT and page.current_revision.reverts.number == 1
    assert "spam.example" not in page.body_html
    assert page.current_revision.summary.startswith("Reverted to revision 1")
    # Maya's revision stays in the history.
    assert Revision.objects.get(page=page, number=3).status == Visibility.PUBLISHED


def test_a_browsers_crlf_text_is_no_change(people, wiki_root):
    page = create_page(actor=people["omar"], parent=wiki_root, title="Lines", body=TEXT.replace("\n", "\r\n")).page
    assert Revision.objects.get(page=page).body == TEXT
    with pytest.raises(NoChange):
        save_revision(actor=people["maya"], page=page, body=TEXT.replace("\n", "\r\n"), base=1)
    with pytest.raises(NoChange):
        save_revision(actor=people["maya"], page=page, body=TEXT.replace("\n", "\r"), base=1)
    assert Page.objects.get(pk=page.pk).revision_count == 1


def test_an_empty_crlf_save_from_the_edit_form_makes_no_revision(client, people, wiki_root):
    page = create_page(actor=people["omar"], parent=wiki_root, title="Lines", body=TEXT).page
    client.force_login(people["maya"])
    answer = client.post(f"/wiki/{page.path}_edit/", {"title": "Lines", "summary": "", "base": 1, "save": "1",
                                                       "body": TEXT.replace("\n", "\r\n")})
    assert answer.status_code in (200, 400) and "Nothing changed" in answer.content.decode()
    assert Page.objects.get(pk=page.pk).revision_count == 1


def test_automatic_summaries_are_in_the_sites_language(people, wiki_root):
    with translation.override("fr"):
        page = create_page(actor=people["omar"], parent=wiki_root, title="Accueil", body="Bonjour.").page
    assert Revision.objects.get(page=page).summary == "New page"


def test_titles_without_latin_letters_get_numbered_addresses(people, wiki_root):
    paths = [create_page(actor=people["omar"], parent=wiki_root, title=title, body="x").page.path
             for title in ("שלום", "!!!", "Привет", "Café")]
    assert paths == ["page/", "page-2/", "page-3/", "cafe/"]
    assert len(set(paths)) == 4


def test_a_page_too_deep_says_the_maximum_depth(people, wiki_root):
    parent = wiki_root
    for level in range(DEPTH_MAX):
        parent = create_page(actor=people["sam"], parent=parent, title=f"Level {level}", body="x").page
    with pytest.raises(ValidationError, match=f"at most {DEPTH_MAX} levels deep"):
        create_page(actor=people["sam"], parent=parent, title="Too deep", body="x")
