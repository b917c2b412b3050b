import pytest
from django.urls import reverse

from community import content
from community.models import Visibility
from forums.models import Post
from moderation import reports
from moderation.models import AuditLogEntry, Decision
from tests.factories import ReplyFactory, UserFactory

LOG = reverse("moderation:log")


@pytest.fixture
def post(topic, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ReplyFactory(topic=topic, author=UserFactory(username="author"), body="Something to judge.")


def test_every_decision_is_in_the_audit_log_and_nothing_is_deleted(post, cm, django_capture_on_commit_callbacks):
    content.kind_for(post).set_status(post, Visibility.PENDING)  # held: approving it changes something
    for decision in Decision.values:
        with django_capture_on_commit_callbacks(execute=True):
            reports.decide(actor=cm, kind_name="forums.post", object_id=post.pk, decision=decision,
                           reason="house rules")
    entries = AuditLogEntry.objects.order_by("pk")
    assert list(entries.values_list("action", flat=True)) == list(Decision.values)
    assert {(e.actor_id, e.kind, e.object_id, e.reason) for e in entries} == {
        (cm.pk, "forums.post", post.pk, "house rules")}
    assert entries.filter(action="remove").get().detail["after"]["status"] == "removed"
    assert Post.objects.filter(pk=post.pk).exists()


@pytest.mark.parametrize("size", [1, 30])
def test_the_log_page_renders_in_a_fixed_number_of_queries(size, cm, client, django_assert_num_queries):
    moderators = [UserFactory() for _ in range(3)]
    AuditLogEntry.objects.bulk_create(
        AuditLogEntry(actor=moderators[i % 3], action="hide", kind="forums.post", object_id=i) for i in range(size))
    client.force_login(cm)
    # The user and their roles, the count for the paginator, the page with its actors.
    with django_assert_num_queries(4):
        response = client.get(LOG)
    assert response.status_code == 200
    assert response.content.decode().count("<tr><td>") == size


def test_the_log_is_paginated(cm, client):
    AuditLogEntry.objects.bulk_create(AuditLogEntry(action="hide", kind="forums.post", object_id=i)
                                      for i in range(60))
    client.force_login(cm)
    page = client.get(LOG).content.decode()
    assert page.count("<tr><td>") == 50 and 'rel="next"' in page
    assert client.get(LOG, {"page": 2}).content.decode().count("<tr><td>") == 10


def test_the_admin_shows_reports_and_a_read_only_log(staff, client, post, cm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_content(actor=UserFactory(), kind_name="forums.post", object_id=post.pk, reason="spam")
        reports.decide(actor=cm, kind_name="forums.post", object_id=post.pk, decision="hide")
    client.force_login(staff)
    assert client.get(reverse("admin:moderation_report_changelist")).status_code == 200
    assert client.get(reverse("admin:moderation_auditlogentry_changelist")).status_code == 200
    entry = AuditLogEntry.objects.get()
    assert client.get(reverse("admin:moderation_auditlogentry_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:moderation_auditlogentry_add")).status_code == 403
    assert client.post(reverse("admin:moderation_auditlogentry_delete", args=[entry.pk]),
                       {"post": "yes"}).status_code == 403
    assert AuditLogEntry.objects.filter(pk=entry.pk).exists()


def test_a_double_clicked_decision_is_logged_and_announced_once(post, cm, django_capture_on_commit_callbacks):
    from community.models import Event

    for _click in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            reports.decide(actor=cm, kind_name="forums.post", object_id=post.pk, decision="hide")
    assert AuditLogEntry.objects.filter(action="hide").count() == 1
    assert Event.objects.filter(kind="moderation.decision").count() == 1
