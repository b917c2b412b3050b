"""The write path the areas build on: a page, a revision, an empty save, a conflict."""

import pytest

from tests.factories import UserFactory
from wiki.models import Page
from wiki.services.editing import EditConflict, NoChange, create_page, save_revision

pytestmark = pytest.mark.django_db


def test_a_page_gets_revisions_and_an_empty_save_makes_none(wiki_root):
    member = UserFactory(username="writer")
    first = create_page(actor=member, parent=wiki_root, title="Getting started", body="Hello.")
    page = first.page
    assert page.path == "getting-started/" and page.get_absolute_url() == "/wiki/getting-started/"
    second = save_revision(actor=member, page=page, body="Hello again.", base=1)
    assert second.number == 2 and second.added_text == "Hello again."
    with pytest.raises(NoChange):
        save_revision(actor=member, page=page, body="Hello again.", base=2)
    page = Page.objects.get(pk=page.pk)
    assert page.revision_count == 2 and page.current_revision_id == second.pk and "again" in page.body_html


def test_a_stale_base_is_never_silently_overwritten(wiki_root):
    member = UserFactory(username="writer")
    page = create_page(actor=member, parent=wiki_root, title="Rules", body="One.").page
    save_revision(actor=member, page=page, body="Two.", base=1)
    with pytest.raises(EditConflict) as caught:
        save_revision(actor=member, page=page, body="Three.", base=1)
    assert caught.value.mine == "Three."
