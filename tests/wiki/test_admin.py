"""The wiki in the Django admin: staff browse and search pages, revisions and the log (200), nothing
is added, changed or deleted there; "Mark as patrolled" goes through the patrol service."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from wiki.models import PageLog, Revision
from wiki.services.editing import create_page, save_revision

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


@pytest.fixture
def edits(wiki_root):
    newcomer = UserFactory(username="newbie", trust_level=0)
    page = create_page(actor=newcomer, parent=wiki_root, title="Draft", body="One.").page
    save_revision(actor=newcomer, page=page, body="One.\n\nTwo.", base=1)
    return page


@pytest.mark.parametrize("model", ["page", "revision", "pagelog"])
def test_staff_see_the_lists_search_and_filters(client, staff, edits, model):
    client.force_login(staff)
    url = reverse(f"admin:wiki_{model}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "draft"}).status_code == 200
    assert client.get(reverse(f"admin:wiki_{model}_add")).status_code == 403


def test_a_page_and_a_revision_open_read_only(client, staff, edits):
    client.force_login(staff)
    revision = Revision.objects.get(page=edits, number=2)
    for url in (reverse("admin:wiki_page_change", args=[edits.pk]),
                reverse("admin:wiki_revision_change", args=[revision.pk])):
        response = client.get(url)
        assert response.status_code == 200 and 'name="_save"' not in response.content.decode()
    assert client.post(reverse("admin:wiki_revision_delete", args=[revision.pk]), {"post": "yes"}).status_code == 403
    assert Revision.objects.filter(pk=revision.pk).exists()
    html = client.get(reverse("admin:wiki_revision_changelist"), {"patrolled__exact": "0"}).content.decode()
    assert "Draft #2" in html


def test_mark_as_patrolled_goes_through_the_service(client, staff, edits):
    client.force_login(staff)
    ids = list(Revision.objects.filter(page=edits).values_list("pk", flat=True))
    response = client.post(reverse("admin:wiki_revision_changelist"),
                           {"action": "mark_patrolled", "_selected_action": ids})
    assert response.status_code == 302
    assert not Revision.objects.filter(page=edits, patrolled=False).exists()
    assert PageLog.objects.filter(page=edits, action=PageLog.Action.PATROL).count() == 2


def test_members_do_not_get_in(client, edits):
    client.force_login(UserFactory())
    assert client.get(reverse("admin:wiki_page_changelist")).status_code == 302


def test_log_entries_read_as_page_action_and_date_and_the_revision_list_is_narrow(client, staff, edits):
    from wiki.admin import RevisionAdmin

    client.force_login(staff)
    entry = PageLog.objects.create(page=edits, actor=staff, action=PageLog.Action.UNDELETE)
    assert str(entry).startswith("Draft: Restored (") and "undelete" not in str(entry)
    html = client.get(reverse("admin:wiki_pagelog_change", args=[entry.pk])).content.decode()
    assert "Draft: Restored (" in html
    assert len(RevisionAdmin.list_display) <= 6
    html = client.get(reverse("admin:wiki_revision_changelist")).content.decode()
    assert "Draft #2" in html and "column-spam_status" not in html
