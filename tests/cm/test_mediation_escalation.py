# ruff: noqa: F811  (fixtures imported by name from tests.cm.mediation_fixtures)
"""Escalation: a CM hands a report, an item or a member to staff with a note; staff answer in the
Django admin; the CM reads the answer and the member is told (their own message, never the CM's
note). One open escalation per item, whatever the double submits."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cm.mediation import escalations
from cm.models import Escalation, EscalationStatus
from cm.scouting import card
from community.notifications.models import Notification
from moderation import reports
from moderation.models import AuditLogEntry
from tests.factories import ReplyFactory, UserFactory

from .mediation_fixtures import cm, contributor, member, other_cm, staff, topic  # noqa: F401  (fixtures)

ESCALATIONS = "/cm/escalations/"


@pytest.fixture
def reported(topic, member, django_capture_on_commit_callbacks):
    """A reply by `member`, reported by another member."""
    with django_capture_on_commit_callbacks(execute=True):
        post = ReplyFactory(topic=topic, author=member, body="You are all clueless.")
    reporter = UserFactory(username="reporter")
    report, _created = reports.report_content(actor=reporter, kind_name="forums.post", object_id=post.pk,
                                              reason="abuse", note="Rude again")
    return post, report


def test_the_review_queue_offers_to_escalate_the_item_and_each_report(reported, cm, client):
    post, report = reported
    client.force_login(cm)

    html = client.get("/moderation/").content.decode()

    assert f'href="/cm/escalate/item/forums.post/{post.pk}/"' in html
    assert f'href="/cm/escalate/report/{report.pk}/"' in html


def test_a_cm_escalates_a_report_with_a_note_and_staff_are_told(
        reported, cm, staff, client, django_capture_on_commit_callbacks):
    post, report = reported
    client.force_login(cm)
    form = client.get(f"/cm/escalate/report/{report.pk}/").content.decode()
    assert "From a report by @reporter: Abuse or harassment" in form and "You are all clueless." in form

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cm/escalate/report/{report.pk}/", {"note": "Third time this month."})

    escalation = Escalation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{ESCALATIONS}#escalation-{escalation.pk}"
    assert (escalation.kind, escalation.object_id, escalation.report, escalation.member, escalation.escalated_by,
            escalation.status) == ("forums.post", post.pk, report, post.author, cm, EscalationStatus.OPEN)
    assert escalation.title == "Tubeless tyres"
    assert AuditLogEntry.objects.filter(action="escalation_open", object_id=escalation.pk, actor=cm).exists()
    told = Notification.objects.get(recipient=staff)
    assert told.kind == "cm_escalation" and told.data["url"] == f"/admin/cm/escalation/{escalation.pk}/change/"
    assert "Third time this month." in told.data["excerpt"]
    assert not Notification.objects.filter(recipient=post.author, kind="escalation_outcome").exists()
    page = client.get(ESCALATIONS).content.decode()
    assert "Waiting for staff" in page and "Third time this month." in page


def test_a_double_submit_gives_one_open_escalation_and_another_cms_note_joins_it(reported, cm, other_cm, client):
    post, _report = reported
    url = f"/cm/escalate/item/forums.post/{post.pk}/"
    client.force_login(cm)
    client.post(url, {"note": "Please look at this."})
    client.post(url, {"note": "Please look at this."})
    client.force_login(other_cm)
    assert "Already escalated by Sam Okafor" in client.get(url).content.decode()
    response = client.post(url, {"note": "Also: they insulted me in private."}, follow=True)

    escalation = Escalation.objects.get()
    assert "your note was added" in response.content.decode()
    assert escalation.note == "Please look at this.\n\n— @lea: Also: they insulted me in private."
    assert AuditLogEntry.objects.filter(action="escalation_open").count() == 1


def test_an_answered_matter_may_be_escalated_again(reported, cm, staff):
    post, _report = reported
    target = escalations.item_target("forums.post", post.pk)
    first, _created = escalations.escalate(actor=cm, target=target, note="One")
    escalations.answer_escalation(actor=staff, escalation=first, answer="Done.")

    second, created = escalations.escalate(actor=cm, target=target, note="It started again")

    assert created and second.pk != first.pk


def test_an_empty_note_is_refused_with_a_message(reported, cm, client):
    post, _report = reported
    client.force_login(cm)

    response = client.post(f"/cm/escalate/item/forums.post/{post.pk}/", {"note": "   "})

    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert not Escalation.objects.exists()


def test_escalating_what_does_not_exist_is_a_404(cm, client):
    client.force_login(cm)

    assert client.get("/cm/escalate/item/forums.post/99999/").status_code == 404
    assert client.get("/cm/escalate/item/nothing.here/1/").status_code == 404
    assert client.get(f"/cm/escalate/item/forums.post/{2**70}/").status_code == 404
    assert client.get("/cm/escalate/report/99999/").status_code == 404
    assert client.get("/cm/escalate/member/nobody/").status_code == 404


def test_the_member_card_offers_to_escalate_the_member_as_a_whole(member, cm, client):
    action = next(action for action in card.actions() if action.name == "escalate")
    url = action.url(member)
    assert url == f"/cm/escalate/member/{member.username}/"
    client.force_login(cm)

    client.post(url, {"note": "A pattern over many threads."})
    client.post(url, {"note": "A pattern over many threads."})

    escalation = Escalation.objects.get()
    assert (escalation.kind, escalation.object_id, escalation.member) == ("", None, member)


def test_a_removed_item_is_escalated_without_showing_its_text(reported, cm, client):
    from community import content

    post, _report = reported
    content.kind_for(post).remove(post)
    client.force_login(cm)

    html = client.get(f"/cm/escalate/item/forums.post/{post.pk}/").content.decode()

    assert "clueless" not in html and "This item was removed" in html


# --- Staff answer in the admin -------------------------------------------------------------------------

def change_url(escalation):
    return reverse("admin:cm_escalation_change", args=[escalation.pk])


def test_staff_answer_in_the_admin_and_the_cm_and_the_member_are_told(
        reported, cm, staff, client, django_capture_on_commit_callbacks):
    post, report = reported
    escalation, _created = escalations.escalate(actor=cm, target=escalations.report_target(report.pk),
                                                note="Internal: I think a ban is due.")
    client.force_login(staff)
    listing = client.get("/admin/cm/escalation/?status__exact=open").content.decode()
    assert "Tubeless tyres" in listing and post.get_absolute_url() in listing
    assert client.get(change_url(escalation)).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(escalation), {
            "answer": "A formal warning was sent; ban next time.",
            "member_message": "Please keep it civil: the next breach means a ban.", "_save": "Save"})

    assert response.status_code == 302
    escalation.refresh_from_db()
    assert (escalation.status, escalation.answered_by) == (EscalationStatus.ANSWERED, staff)
    assert escalation.answered_at is not None
    assert AuditLogEntry.objects.filter(action="escalation_answer", object_id=escalation.pk, actor=staff).exists()
    to_cm = Notification.objects.get(recipient=cm)
    assert to_cm.kind == "cm_escalation_answered" and "ban next time" in to_cm.data["excerpt"]
    to_member = Notification.objects.get(recipient=post.author)
    assert to_member.kind == "escalation_outcome"
    assert to_member.data["excerpt"] == "Please keep it civil: the next breach means a ban."
    assert "Internal" not in str(to_member.data) and "ban next time" not in str(to_member.data)
    assert to_member.data["url"] == post.get_absolute_url()

    client.force_login(post.author)
    inbox = client.get("/notifications/").content.decode()
    assert "The staff team reviewed a matter about your content in “Tubeless tyres”" in inbox
    client.force_login(cm)
    page = client.get(ESCALATIONS + "?status=answered").content.decode()
    assert "The Boss answered on" in page and "A formal warning was sent" in page


def test_an_answered_escalation_is_read_only_and_answering_twice_changes_nothing(reported, cm, staff, client):
    post, _report = reported
    escalation, _created = escalations.escalate(actor=cm, target=escalations.item_target("forums.post", post.pk),
                                                note="Look")
    assert escalations.answer_escalation(actor=staff, escalation=escalation, answer="First") is True
    assert escalations.answer_escalation(actor=staff, escalation=escalation, answer="Second") is False
    client.force_login(staff)

    response = client.post(change_url(escalation), {"answer": "Third", "_save": "Save"}, follow=True)

    escalation.refresh_from_db()
    assert escalation.answer == "First"
    assert response.status_code == 200  # never a bare 403 for staff
    page = response.content.decode()
    assert "This escalation was answered on" in page and f"by {staff.name}: it is shown read-only" in page
    assert "Your answer was not saved" in page and "What you wrote: Third" in page
    assert 'name="answer"' not in page  # read-only: nothing to send
    assert AuditLogEntry.objects.filter(action="escalation_answer").count() == 1
    opened = client.get(change_url(escalation))
    assert opened.status_code == 200 and "This escalation was answered on" in opened.content.decode()


def test_an_answer_is_required(reported, cm, staff, client):
    post, _report = reported
    escalation, _created = escalations.escalate(actor=cm, target=escalations.item_target("forums.post", post.pk),
                                                note="Look")
    client.force_login(staff)

    response = client.post(change_url(escalation), {"answer": "", "member_message": "kept", "_save": "Save"})

    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert "kept" in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.OPEN


def test_a_cm_who_is_not_staff_cannot_open_the_admin_answer(reported, cm, client):
    post, _report = reported
    escalation, _created = escalations.escalate(actor=cm, target=escalations.item_target("forums.post", post.pk),
                                                note="Look")
    client.force_login(cm)

    response = client.get(change_url(escalation))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    with pytest.raises(PermissionDenied):
        escalations.answer_escalation(actor=cm, escalation=escalation, answer="I answer myself")
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.OPEN


@pytest.mark.parametrize("who", ["member", "contributor"])
def test_members_and_contributors_cannot_escalate_nor_read_escalations(who, request, reported, client):
    post, report = reported
    actor = request.getfixturevalue(who)
    client.force_login(actor)

    assert client.get(ESCALATIONS).status_code == 403
    assert client.post(f"/cm/escalate/report/{report.pk}/", {"note": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        escalations.escalate(actor=actor, target=escalations.item_target("forums.post", post.pk), note="x")
    assert not Escalation.objects.exists()


@pytest.mark.parametrize("size", [2, 15])
def test_the_escalations_page_renders_in_a_fixed_number_of_queries(size, topic, cm, staff, client):
    for index in range(size):
        author = UserFactory()
        post = ReplyFactory(topic=topic, author=author, body=f"Post {index}")
        escalation, _created = escalations.escalate(actor=cm, target=escalations.item_target("forums.post", post.pk),
                                                    note=f"Note {index}")
        if index % 2:
            escalations.answer_escalation(actor=staff, escalation=escalation, answer=f"Answer {index}")
    client.force_login(cm)
    client.get(ESCALATIONS)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(ESCALATIONS)

    assert response.content.decode().count('class="queue-item card"') == size
    assert len(queries) == ESCALATIONS_QUERIES, [query["sql"] for query in queries]


ESCALATIONS_QUERIES = 2  # the page's COUNT and its rows (with their people, joined); the user and roles: cached
