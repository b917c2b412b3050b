"""Protection: community managers set who reads and who edits; logged, audited, enforced."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from moderation.models import AuditLogEntry
from tests.factories import UserFactory
from wiki.models import Page, PageLog
from wiki.services.editing import create_page, save_revision
from wiki.services.protection import protect

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(wiki_root, wiki_cm):
    return create_page(actor=wiki_cm, parent=wiki_root, title="Rules", body="Be kind.").page


def test_a_cm_protects_a_page_from_the_form_and_it_is_logged(client, wiki_cm, rules):
    client.force_login(wiki_cm)
    url = reverse("wiki:protect", args=[rules.path])
    assert "Who may edit this page" in client.get(url).content.decode()
    response = client.post(url, {"read_level": "0", "edit_level": "3", "reason": "Edit war <b>again</b>"})
    assert response.status_code == 302
    rules.refresh_from_db()
    assert rules.edit_level == 3 and rules.read_level == 0
    entry = PageLog.objects.get(page=rules)
    assert entry.action == "protect" and entry.detail["old"]["edit_level"] == 1
    assert entry.detail["reason"] == "Edit war <b>again</b>"
    audit = AuditLogEntry.objects.get(action="wiki_protect")
    assert audit.object_id == rules.pk and audit.actor == wiki_cm
    log = client.get(reverse("wiki:log", args=[rules.path])).content.decode()
    assert "Protection changed" in log and "Edit war &lt;b&gt;again&lt;/b&gt;" in log
    assert "edited by: Community managers" in log
    assert "only community managers may edit this page" in log  # the header says it


def test_members_get_403_on_the_form_and_nothing_changes(client, member, rules):
    client.force_login(member)
    url = reverse("wiki:protect", args=[rules.path])
    assert client.get(url).status_code == 403
    assert client.post(url, {"read_level": "3", "edit_level": "3"}).status_code == 403
    assert Page.objects.get(pk=rules.pk).read_level == 0 and not PageLog.objects.exists()


def test_a_bad_level_is_a_400_with_the_form_again(client, wiki_cm, rules):
    client.force_login(wiki_cm)
    response = client.post(reverse("wiki:protect", args=[rules.path]),
                           {"read_level": "9", "edit_level": "3", "reason": "typed"})
    assert response.status_code == 400 and "typed" in response.content.decode()


def test_protection_is_enforced_in_the_service(rules, wiki_cm):
    member = UserFactory(username="editor")
    contributor = UserFactory(username="contrib", roles=["Contributors"])
    protect(actor=wiki_cm, page=rules, read_level=0, edit_level=2, reason="")
    with pytest.raises(PermissionDenied, match="contributors"):
        save_revision(actor=member, page=rules, body="Vandalised", base=1)
    assert save_revision(actor=contributor, page=rules, body="Better.", base=1).number == 2
    with pytest.raises(PermissionDenied):
        protect(actor=member, page=rules, read_level=0, edit_level=1, reason="")


def test_a_cm_only_page_is_a_404_to_members(client, rules, wiki_cm):
    protect(actor=wiki_cm, page=rules, read_level=3, edit_level=3, reason="")
    client.force_login(UserFactory(username="curious"))
    assert client.get(reverse("wiki:log", args=[rules.path])).status_code == 404
    assert client.get(reverse("wiki:protect", args=[rules.path])).status_code == 404


def test_the_log_is_paginated_in_constant_queries(client, rules, wiki_cm, django_assert_max_num_queries):
    def flip(times, start=0):
        for index in range(start, start + times):
            level = 2 if Page.objects.get(pk=rules.pk).edit_level == 1 else 1
            protect(actor=wiki_cm, page=rules, read_level=0, edit_level=level, reason=f"flip {index}")

    url = reverse("wiki:log", args=[rules.path])
    flip(3)
    with django_assert_max_num_queries(5) as few:
        assert "flip 2" in client.get(url).content.decode()
    flip(30, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert "flip 32" in body and "Page 1 of 2" in body
    assert "flip 0<" in client.get(url + "?page=2").content.decode()
    assert client.get(url + "?page=3").status_code == 404
