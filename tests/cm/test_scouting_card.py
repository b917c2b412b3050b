"""The member card (/cm/members/<username>/): what it shows (activity sparkline, best content, reports
about the member's content, sanctions, skills, notes, registered sections and actions), verified
skills, private CM notes (never shown to members, nor on the public profile), its fixed queries."""

import pytest
from django.urls import reverse

from cm.models import MemberNote
from cm.scouting import card, scoring
from community.models import MemberSkill
from moderation import reports, sanctions
from moderation.models import AuditLogEntry
from tests.factories import ForumFactory, ReplyFactory, TopicFactory, UserFactory


def card_url(member):
    return reverse("cm:member", args=[member.username])


@pytest.fixture
def camille(db):
    return UserFactory(username="camille")


def test_the_card_shows_activity_best_content_reports_sanctions_and_skills(camille, cm, client):
    topic = TopicFactory(forum=ForumFactory(), author=camille, title="Golden hour portraits")
    others = ReplyFactory(topic=topic, author=UserFactory())
    reply = ReplyFactory(topic=TopicFactory(forum=ForumFactory(), author=UserFactory()), author=camille,
                         body="Off topic rant")
    reports.report_content(actor=UserFactory(username="reporter"), kind_name="forums.post", object_id=reply.pk,
                           reason="off_topic")
    reports.report_content(actor=camille, kind_name="forums.post", object_id=others.pk,
                           reason="spam")  # one camille filed: not about her
    sanctions.sanction_member(actor=cm, member=camille, kind="warn", reason="Stay on topic")
    MemberSkill.objects.create(user=camille, skill="photo")
    scoring.compute()
    client.force_login(cm)

    page = client.get(card_url(camille)).content.decode()

    assert '<svg class="sparkline"' in page and "<polyline" in page and "style=" not in page.split("<svg")[1][:600]
    assert f'href="/forums/p/{topic.first_post_id}/">Golden hour portraits</a>' in page
    assert "drew 1 reply to their topics" in page
    assert page.count("@reporter") == 1 and f'href="{reply.get_absolute_url()}"' in page
    assert "Off-topic" in page and "Spam</td>" not in page
    assert "Stay on topic" in page and "Warning" in page
    assert "Photography" in page and ">Verify</button>" in page


def test_the_card_shows_the_registered_sections_and_actions(camille, cm, client, monkeypatch):
    monkeypatch.setattr(card, "_sections", {})
    monkeypatch.setattr(card, "_actions", {})
    card.register_section("history", template="cm/scouting/includes/sparkline.html",
                          data=lambda member, viewer: {}, order=10)
    card.register_action("cast", label="Cast", url=lambda member: f"/cm/cast/{member.username}/")
    client.force_login(cm)

    page = client.get(card_url(camille)).content.decode()

    assert 'href="/cm/cast/camille/">Cast</a>' in page


def test_an_unknown_member_is_a_404(cm, client):
    client.force_login(cm)
    assert client.get("/cm/members/nobody/").status_code == 404


# --- Skills -------------------------------------------------------------------------------------

def test_a_cm_verifies_and_unverifies_a_skill_once_each_audit_logged(camille, cm, client):
    skill = MemberSkill.objects.create(user=camille, skill="photo")
    client.force_login(cm)
    url = reverse("cm:skill_verify", args=[camille.username, skill.pk])

    assert client.post(url, {"verified": "1"}).status_code == 302
    client.post(url, {"verified": "1"})  # a double click
    skill.refresh_from_db()
    assert skill.verified_by == cm and skill.is_verified
    assert list(AuditLogEntry.objects.values_list("action", flat=True)) == ["skill_verify"]
    assert "verified by @sam" in client.get(card_url(camille)).content.decode()

    client.post(url, {"verified": "0"})
    skill.refresh_from_db()
    assert not skill.is_verified and skill.verified_by is None
    assert AuditLogEntry.objects.filter(action="skill_unverify", actor=cm, object_id=camille.pk).count() == 1


def test_verifying_a_bad_value_or_someone_elses_skill_is_refused(camille, cm, client):
    other = MemberSkill.objects.create(user=UserFactory(), skill="video")
    client.force_login(cm)
    assert client.post(reverse("cm:skill_verify", args=[camille.username, other.pk]), {"verified": "1"}).status_code == 404
    own = MemberSkill.objects.create(user=camille, skill="photo")
    assert client.post(reverse("cm:skill_verify", args=[camille.username, own.pk]), {"verified": "yes"}).status_code == 400
    assert not MemberSkill.objects.filter(verified_at__isnull=False).exists()


def test_a_cm_does_not_verify_their_own_skill(cm, client):
    own = MemberSkill.objects.create(user=cm, skill="writing")
    client.force_login(cm)
    assert client.post(reverse("cm:skill_verify", args=[cm.username, own.pk]), {"verified": "1"}).status_code == 403


# --- Notes --------------------------------------------------------------------------------------

def test_a_note_is_added_once_and_only_its_author_deletes_it(camille, cm, client):
    client.force_login(cm)
    url = reverse("cm:note_add", args=[camille.username])
    client.post(url, {"body": "Great eye for light: ask her for the photo column."})
    client.post(url, {"body": "Great eye for light: ask her for the photo column."})  # a double submit
    note = MemberNote.objects.get()
    assert note.author == cm and note.member == camille
    assert "Great eye for light" in client.get(card_url(camille)).content.decode()

    other_cm = UserFactory(username="lea", roles=["Community managers"])
    client.force_login(other_cm)
    assert client.post(reverse("cm:note_delete", args=[note.pk])).status_code == 403
    client.force_login(cm)
    assert client.post(reverse("cm:note_delete", args=[note.pk])).status_code == 302
    assert not MemberNote.objects.exists()
    assert client.post(reverse("cm:note_delete", args=[note.pk])).status_code == 302  # already gone: said so
    assert list(AuditLogEntry.objects.values_list("action", flat=True)) == ["cm_note_delete", "cm_note_add"]


@pytest.mark.parametrize("body", ["", "   \u200b  ", "x" * 2001])
def test_a_bad_note_gives_the_form_again_with_the_text(body, camille, cm, client):
    client.force_login(cm)
    response = client.post(reverse("cm:note_add", args=[camille.username]), {"body": body})
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    if body.strip():
        assert body[:50] in response.content.decode()
    assert not MemberNote.objects.exists()


def test_notes_are_never_shown_to_members_nor_on_the_public_profile(camille, cm, member, client):
    MemberNote.objects.create(member=camille, author=cm, body="Secret scouting note")
    for viewer in (camille, member, cm):
        client.force_login(viewer)
        profile = client.get(camille.get_absolute_url())
        assert profile.status_code == 200 and "Secret scouting note" not in profile.content.decode()
    for viewer in (camille, member):
        client.force_login(viewer)
        response = client.get(card_url(camille))
        assert response.status_code == 403 and "Secret scouting note" not in response.content.decode()


# --- Queries ------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [1, 12])
def test_the_card_renders_in_a_fixed_number_of_queries(size, camille, cm, client, django_assert_num_queries):
    topic = TopicFactory(forum=ForumFactory(), author=UserFactory())
    for index in range(size):
        reply = ReplyFactory(topic=topic, author=camille, body=f"Answer {index}")
        reports.report_content(actor=UserFactory(), kind_name="forums.post", object_id=reply.pk, reason="abuse")
        MemberNote.objects.create(member=camille, author=cm, body=f"Note {index}")
    for kind in ("warn", "silence")[: 1 if size == 1 else 2]:
        sanctions.sanction_member(actor=cm, member=camille, kind=kind, reason="Reason", days=1)
    MemberSkill.objects.create(user=camille, skill="photo", verified_by=cm, verified_at="2026-01-01T00:00Z")
    scoring.compute()
    client.force_login(cm)
    client.get(card_url(camille))

    # the member, scores, skills, notes, reports, the reported posts, sanctions; the sections other
    # areas register: casting's history (one query). The CM's row and roles come from the cache.
    with django_assert_num_queries(8):
        response = client.get(card_url(camille))
    assert response.status_code == 200
    assert response.content.decode().count("<p>Note ") == size
