"""Creating and editing pages: the three-way merge, the conflict screen, and every kind of bad input
(a clear message, a 4xx, nothing typed lost)."""

import pytest

from tests.factories import UserFactory
from wiki.merging import merge3
from wiki.models import Page, Revision
from wiki.services.editing import BODY_MAX_BYTES, EditConflict, create_page, save_revision

pytestmark = pytest.mark.django_db

BASE = "# Title\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph."


@pytest.fixture
def writer(db):
    return UserFactory(username="writer")


@pytest.fixture
def page(wiki_root, writer):
    return create_page(actor=writer, parent=wiki_root, title="Rules", body=BASE).page


def edit_form(client, path, **data):
    return client.post(f"/wiki/{path}_edit/", {"title": "Rules", "summary": "", "base": 1, "save": "1", **data})


# --- the merge itself -------------------------------------------------------------------------------------


def test_merge3_keeps_both_edits_apart_and_refuses_overlaps():
    mine = BASE.replace("First", "My first")
    theirs = BASE.replace("Third", "Their third")
    assert merge3(BASE, mine, theirs) == BASE.replace("First", "My first").replace("Third", "Their third")
    assert merge3(BASE, BASE.replace("First", "A"), BASE.replace("First", "B")) is None
    assert merge3(BASE, BASE.replace("First", "Same"), BASE.replace("First", "Same")) == BASE.replace("First", "Same")
    assert merge3(BASE, BASE + "\n\nMine at the end.", "Their start.\n\n" + BASE) == \
        "Their start.\n\n" + BASE + "\n\nMine at the end."
    assert merge3("a\nb", "a\nB", "A\nb") is None  # adjacent lines touch: the editor decides


# --- the service ------------------------------------------------------------------------------------------


def test_two_edits_from_the_same_base_are_merged(page, writer):
    other = UserFactory(username="other")
    save_revision(actor=other, page=page, body=BASE.replace("Third", "Their third"), base=1)
    merged = save_revision(actor=writer, page=page, body=BASE.replace("First", "My first"), base=1)
    assert merged.number == 3 and merged.merged_with.author == other
    assert "My first" in merged.body and "Their third" in merged.body
    assert "My first" in Page.objects.get(pk=page.pk).body_html


def test_overlapping_edits_raise_a_conflict_with_the_editors_text(page, writer):
    save_revision(actor=UserFactory(username="other"), page=page, body=BASE.replace("First", "Theirs"), base=1)
    with pytest.raises(EditConflict) as caught:
        save_revision(actor=writer, page=page, body=BASE.replace("First", "Mine"), base=1, summary="why")
    assert caught.value.mine == BASE.replace("First", "Mine") and caught.value.current.number == 2
    assert Revision.objects.filter(page=page).count() == 2


def test_a_page_whose_first_revision_is_held_is_edited_from_that_revision(wiki_root):
    newcomer = UserFactory(username="newcomer")
    page = create_page(actor=newcomer, parent=wiki_root, title="Held", body="One.").page
    Revision.objects.filter(page=page).update(status="pending")
    Page.objects.filter(pk=page.pk).update(current_revision=None, body_html="")
    page.refresh_from_db()
    second = save_revision(actor=newcomer, page=page, body="One.\n\nTwo.", base=1)
    assert second.number == 2 and second.added_text.strip() == "Two." and second.size_delta == len("\n\nTwo.")


# --- the views: edit, preview, conflict --------------------------------------------------------------------


def test_edit_form_saves_and_says_so(client, page, writer):
    client.force_login(writer)
    form = client.get("/wiki/rules/_edit/").content.decode()
    assert 'name="base" value="1"' in form and "Second paragraph." in form
    answer = edit_form(client, "rules/", body=BASE + "\n\nMore.", minor="on", summary="added")
    assert answer.status_code == 302 and answer["Location"] == "/wiki/rules/"
    html = client.get("/wiki/rules/").content.decode()
    assert "Your changes are saved." in html and "More." in html
    assert Revision.objects.get(page=page, number=2).minor is True


def test_a_merged_save_tells_the_editor(client, page, writer):
    save_revision(actor=UserFactory(username="other"), page=page, body=BASE.replace("Third", "Their third"), base=1)
    client.force_login(writer)
    answer = edit_form(client, "rules/", body=BASE.replace("First", "My first"))
    assert answer.status_code == 302
    assert "Other saved the page while you were editing" in client.get("/wiki/rules/").content.decode()


def test_the_conflict_screen_gives_the_text_back_beside_the_current_version(client, page, writer):
    save_revision(actor=UserFactory(username="other"), page=page, body=BASE.replace("First", "Theirs"), base=1)
    client.force_login(writer)
    answer = edit_form(client, "rules/", body=BASE.replace("First", "Mine"), summary="my reason")
    html = answer.content.decode()
    assert answer.status_code == 409 and "Edit conflict" in html
    assert "Mine paragraph." in html and "Theirs paragraph." in html and "my reason" in html
    assert 'name="base" value="2"' in html  # the next save is deliberate
    assert 'class="diff-del"' in html and 'class="diff-ins"' in html
    answer = edit_form(client, "rules/", body=BASE.replace("First", "Mine"), base=2)
    assert answer.status_code == 302 and "Mine" in Page.objects.get(pk=page.pk).body_html


def test_preview_renders_without_saving(client, page, writer):
    client.force_login(writer)
    answer = client.post("/wiki/rules/_edit/", {"title": "Rules", "body": "**Bold** [[Nowhere]]", "base": 1,
                                                "preview": "1"})
    html = answer.content.decode()
    assert answer.status_code == 200 and "<strong>Bold</strong>" in html and 'class="wikilink new"' in html
    assert Revision.objects.filter(page=page).count() == 1


# --- bad input ---------------------------------------------------------------------------------------------


def test_an_empty_save_makes_no_revision_and_keeps_the_form(client, page, writer):
    client.force_login(writer)
    answer = edit_form(client, "rules/", body=BASE)
    assert answer.status_code == 400 and "Nothing changed" in answer.content.decode()
    assert Revision.objects.filter(page=page).count() == 1


def test_an_oversized_body_states_the_limit_and_keeps_the_text(client, page, writer):
    client.force_login(writer)
    answer = edit_form(client, "rules/", body="word " * (BODY_MAX_BYTES // 4))
    assert answer.status_code == 400 and f"{BODY_MAX_BYTES // 1024} KB" in answer.content.decode()
    assert "word word" in answer.content.decode()


def test_a_protected_page_refuses_edits_with_the_rules_message(client, page, writer):
    Page.objects.filter(pk=page.pk).update(edit_level=3)
    client.force_login(writer)
    answer = client.get("/wiki/rules/_edit/")
    assert answer.status_code == 403 and "only community managers may edit it" in answer.content.decode()
    answer = edit_form(client, "rules/", body="Typed text.")
    assert answer.status_code == 403 and "Typed text." in answer.content.decode()
    assert Revision.objects.filter(page=page).count() == 1


def test_titles_that_slugify_to_a_taken_path_say_which_page_holds_it(client, page, writer):
    client.force_login(writer)
    answer = client.post("/wiki/_new/?parent=", {"title": "RULES!", "body": "Typed text."})
    html = answer.content.decode()
    assert answer.status_code == 400 and "The page “Rules” already lives at /wiki/rules/" in html
    assert "Typed text." in html
    answer = client.post("/wiki/_new/?path=rules/", {"title": "Another", "body": "x"})
    assert answer.status_code == 302 and answer["Location"] == "/wiki/rules/"  # it exists: go there


def test_a_title_of_only_symbols_gets_a_path(client, wiki_root, writer):
    client.force_login(writer)
    answer = client.post("/wiki/_new/?parent=", {"title": "!!!", "body": "Symbols."})
    assert answer.status_code == 302 and answer["Location"] == "/wiki/page/"
    # Another title with nothing ASCII in it takes the next free "page-N", never a collision.
    answer = client.post("/wiki/_new/?parent=", {"title": "???", "body": "x"})
    assert answer.status_code == 302 and answer["Location"] == "/wiki/page-2/"
    answer = client.post("/wiki/_new/?parent=", {"title": "שלום", "body": "Hebrew."})
    assert answer.status_code == 302 and answer["Location"] == "/wiki/page-3/"
    assert client.get("/wiki/page-3/").status_code == 200 and "שלום" in client.get("/wiki/page-3/").content.decode()
    assert client.post("/wiki/_new/?parent=", {"title": "\u200b", "body": "x"}).status_code == 400


@pytest.mark.parametrize("query", ["?path=Bad Path/", "?path=a//", "?path=_edit/", "?path=x", "?parent=../"])
def test_invalid_paths_are_a_400(client, wiki_root, writer, query):
    client.force_login(writer)
    answer = client.get(f"/wiki/_new/{query}")
    assert answer.status_code == 400 and "not a valid wiki address" in answer.content.decode()


def test_creating_under_a_missing_parent_says_so(client, wiki_root, writer):
    client.force_login(writer)
    answer = client.get("/wiki/_new/?path=a/b/")
    assert answer.status_code == 400 and "/wiki/a/, does not exist yet" in answer.content.decode()


def test_creating_from_a_red_link(client, wiki_root, writer):
    client.force_login(writer)
    form = client.get("/wiki/_new/?path=getting-started/").content.decode()
    assert 'value="Getting started"' in form and "/wiki/getting-started/" in form
    answer = client.post("/wiki/_new/?path=getting-started/", {"title": "Start Here", "body": "Go."})
    assert answer.status_code == 302 and answer["Location"] == "/wiki/getting-started/"


def test_visitors_are_sent_to_log_in_and_members_need_csrf(client, page, writer):
    for url in ("/wiki/rules/_edit/", "/wiki/_new/?parent="):
        answer = client.get(url)
        assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(writer)
    assert edit_form(strict, "rules/", body="Changed.").status_code == 403
    assert Revision.objects.filter(page=page).count() == 1


def test_only_cms_create_the_home_page(client, writer, wiki_cm):
    client.force_login(writer)
    assert client.get("/wiki/_new/?path=").status_code == 403
    client.force_login(wiki_cm)
    assert client.get("/wiki/_new/?path=").status_code == 200
