import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse

from community.models import Visibility
from community.notifications.models import Notification
from moderation import reports
from moderation.models import Report, ReportStatus
from moderation.notifications import CM_REPORT, MODERATION
from tests.factories import ReplyFactory, UserFactory


@pytest.fixture
def post(topic, newcomer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ReplyFactory(topic=topic, author=newcomer, body="Tubeless is a scam, everyone knows it.")


def report(reporter, post, capture, reason="abuse", note=""):
    with capture(execute=True):
        return reports.report_content(actor=reporter, kind_name="forums.post", object_id=post.pk,
                                      reason=reason, note=note)


def test_a_member_reports_a_post_and_every_cm_is_alerted(post, member, cm, staff, django_capture_on_commit_callbacks):
    filed, created = report(member, post, django_capture_on_commit_callbacks, note="Rude.")

    assert created and filed.status == ReportStatus.OPEN and filed.note == "Rude."
    alerts = Notification.objects.filter(kind=CM_REPORT.name)
    assert set(alerts.values_list("recipient_id", flat=True)) == {cm.pk, staff.pk}
    assert alerts.first().group_key == f"cm_report:report:forums.post:{post.pk}"
    assert not Notification.objects.filter(recipient=member, kind=CM_REPORT.name).exists()


def test_a_second_report_by_the_same_member_updates_the_note(post, member, django_capture_on_commit_callbacks):
    report(member, post, django_capture_on_commit_callbacks, note="first")
    again, created = report(member, post, django_capture_on_commit_callbacks, reason="spam", note="second")

    assert not created
    assert Report.objects.count() == 1
    assert (again.reason, again.note) == ("spam", "second")


def test_the_database_refuses_two_open_reports_by_one_member_on_one_item(post, member):
    Report.objects.create(reporter=member, kind="forums.post", object_id=post.pk, reason="spam")
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(reporter=member, kind="forums.post", object_id=post.pk, reason="abuse")
    Report.objects.filter(reporter=member).update(status=ReportStatus.RESOLVED)
    Report.objects.create(reporter=member, kind="forums.post", object_id=post.pk, reason="abuse")  # a new one


def test_a_member_may_report_a_profile_for_privacy(newcomer, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filed, created = reports.report_content(actor=member, kind_name="community.profile",
                                                object_id=newcomer.profile.pk, reason="privacy")
    assert created and filed.get_reason_display().startswith("Privacy")


def test_nobody_reports_their_own_content(post, newcomer):
    with pytest.raises(PermissionDenied):
        reports.report_content(actor=newcomer, kind_name="forums.post", object_id=post.pk, reason="spam")


def test_content_the_member_may_not_see_cannot_be_reported(post, member):
    post.status = Visibility.HIDDEN
    post.save(update_fields=["status"])
    with pytest.raises(Http404):
        reports.report_content(actor=member, kind_name="forums.post", object_id=post.pk, reason="spam")


def test_unknown_kinds_ids_and_reasons_are_refused(post, member):
    with pytest.raises(reports.ContentGone):
        reports.report_content(actor=member, kind_name="nope.kind", object_id=1, reason="spam")
    with pytest.raises(reports.ContentGone):
        reports.report_content(actor=member, kind_name="forums.post", object_id=10**9, reason="spam")
    with pytest.raises(ValueError):
        reports.report_content(actor=member, kind_name="forums.post", object_id=post.pk, reason="boring")


def test_reporters_and_the_author_are_told_the_outcome(post, member, cm, newcomer, django_capture_on_commit_callbacks):
    other = UserFactory(username="other")
    report(member, post, django_capture_on_commit_callbacks)
    report(other, post, django_capture_on_commit_callbacks, reason="spam")
    with django_capture_on_commit_callbacks(execute=True):
        reports.decide(actor=cm, kind_name="forums.post", object_id=post.pk, decision="remove")

    told = set(Notification.objects.filter(kind=MODERATION.name).values_list("recipient_id", flat=True))
    assert told == {member.pk, other.pk, newcomer.pk}
    assert set(Report.objects.values_list("status", "outcome", "resolved_by_id")) == {("resolved", "remove", cm.pk)}


# --- The report form -----------------------------------------------------------------------------

def report_url(kind, pk):
    return reverse("moderation:report", args=[kind, pk])


def test_the_report_form_shows_the_reasons(post, member_client):
    page = member_client.get(report_url("forums.post", post.pk)).content.decode()
    assert "Privacy — this is about me" in page and 'name="note"' in page


# The reporter and their roles (2), the item: a post with its topic and forum, or a profile with its
# member (1). Nothing about the reports already filed.
REPORT_FORM_QUERIES = 3


@pytest.mark.parametrize("earlier_reports", [0, 8])
@pytest.mark.parametrize("kind", ["forums.post", "community.profile"])
def test_the_report_form_runs_a_fixed_number_of_queries(kind, earlier_reports, post, newcomer, member, client,
                                                        django_assert_num_queries,
                                                        django_capture_on_commit_callbacks):
    pk = post.pk if kind == "forums.post" else newcomer.profile.pk
    with django_capture_on_commit_callbacks(execute=True):
        for reporter in UserFactory.create_batch(earlier_reports):
            reports.report_content(actor=reporter, kind_name=kind, object_id=pk, reason="spam")
    client.force_login(member)

    with django_assert_num_queries(REPORT_FORM_QUERIES):
        response = client.get(report_url(kind, pk))

    assert response.status_code == 200
    assert 'name="note"' in response.content.decode()


def test_posting_the_form_files_the_report_with_a_message(post, member, member_client,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(report_url("forums.post", post.pk), {"reason": "abuse", "note": "Mean"},
                                      follow=True)
    assert response.status_code == 200
    assert "your report was sent" in response.content.decode()
    assert Report.objects.get().reporter == member


def test_a_bad_reason_gets_a_400_and_keeps_the_note(post, member_client):
    response = member_client.post(report_url("forums.post", post.pk), {"reason": "boring", "note": "Keep me"})
    assert response.status_code == 400
    assert "Keep me" in response.content.decode()
    assert not Report.objects.exists()


def test_unknown_kinds_and_ids_are_404(member_client):
    assert member_client.get(report_url("nope.kind", 1)).status_code == 404
    assert member_client.get(report_url("forums.post", 10**9)).status_code == 404


def test_a_visitor_is_sent_to_log_in(post, client):
    response = client.get(report_url("forums.post", post.pk))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_reporting_your_own_post_is_refused_with_a_message(post, newcomer, client):
    client.force_login(newcomer)
    response = client.post(report_url("forums.post", post.pk), {"reason": "spam"}, follow=True)
    assert "You cannot report your own content." in response.content.decode()
    assert not Report.objects.exists()


def test_too_many_reports_in_an_hour_get_a_429_with_the_note_kept(post, member_client, monkeypatch):
    monkeypatch.setattr(reports, "REPORTS_PER_HOUR", 0)
    response = member_client.post(report_url("forums.post", post.pk), {"reason": "abuse", "note": "Keep me"})
    assert response.status_code == 429
    assert "Keep me" in response.content.decode()


def test_posts_and_profiles_offer_a_report_link(post, member_client, newcomer):
    assert report_url("forums.post", post.pk) in member_client.get(post.get_absolute_url()).content.decode()
    profile_page = member_client.get(newcomer.get_absolute_url()).content.decode()
    assert report_url("community.profile", newcomer.profile.pk) in profile_page


def test_the_cm_inbox_names_the_reporter_the_item_and_the_reason(topic, member, cm, client,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_content(actor=member, kind_name="forums.post", object_id=topic.first_post_id,
                               reason="spam", note="")
    client.force_login(cm)
    inbox = client.get(reverse("community:notifications")).content.decode()
    assert f"reported “{topic.title}” (Spam)" in inbox
