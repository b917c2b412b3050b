from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from community.models import Event, User, Visibility
from community.notifications.models import Notification
from forums.models import Forum, Post, Topic
from moderation import sanctions, tasks
from moderation.models import AuditLogEntry, Sanction, SanctionKind
from moderation.notifications import MODERATION
from tests.factories import PASSWORD, ReplyFactory, TopicFactory

LOGIN = "/accounts/login/"


def sanction(cm, member, kind, capture, reason="Be kind.", days=None):
    with capture(execute=True):
        return sanctions.sanction_member(actor=cm, member=member, kind=kind, reason=reason, days=days)


def refreshed(user):
    return User.objects.get(pk=user.pk)


# --- the effect of each kind ------------------------------------------------------------------------


def test_a_warning_is_shown_to_the_member_until_acknowledged(client, cm, member, django_capture_on_commit_callbacks):
    warning = sanction(cm, member, "warn", django_capture_on_commit_callbacks, reason="Mind your tone, please.")

    assert Notification.objects.filter(recipient=member, kind=MODERATION.name).exists()
    client.force_login(member)
    assert b"A moderator warned you" in client.get(reverse("moderation:my_sanctions")).content

    client.post(reverse("moderation:acknowledge_warning", args=[warning.pk]))

    warning.refresh_from_db()
    assert warning.acknowledged_at is not None
    assert b"A moderator warned you" not in client.get(reverse("moderation:my_sanctions")).content


def test_a_silenced_members_reply_is_refused_with_the_reason(client, cm, member, topic,
                                                             django_capture_on_commit_callbacks):
    sanction(cm, member, "silence", django_capture_on_commit_callbacks, days=3)
    assert refreshed(member).silenced_until > timezone.now() + timedelta(days=2)
    client.force_login(member)

    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": "Let me say something anyway."})

    assert response.status_code == 403
    assert b"You are silenced until" in response.content
    assert b"Let me say something anyway." in response.content
    assert not Post.objects.filter(author=member).exists()


def test_a_suspended_member_is_logged_out_on_the_next_request_and_cannot_log_in(
        client, cm, member, django_capture_on_commit_callbacks):
    client.force_login(member)
    sanction(cm, member, "suspend", django_capture_on_commit_callbacks, days=7)

    response = client.get("/members/", follow=True)
    assert response.redirect_chain[0][0] == reverse("account_login")
    assert b"Your account is suspended until" in response.content
    assert client.session.get("_auth_user_id") is None

    client.post(LOGIN, {"login": member.username, "password": PASSWORD})
    assert client.session.get("_auth_user_id") is None


def _sessions_of(user):
    return [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)]


def test_a_ban_ends_every_session_at_once_and_login_is_refused(client, cm, member, django_capture_on_commit_callbacks):
    from django.test import Client

    other_device = Client()
    other_device.force_login(member)
    client.force_login(member)
    assert len(_sessions_of(member)) == 2

    sanction(cm, member, "ban", django_capture_on_commit_callbacks, reason="Spammer.")

    assert refreshed(member).banned_at is not None
    assert _sessions_of(member) == []
    assert other_device.get("/notifications/")["Location"].startswith(LOGIN)
    client.post(LOGIN, {"login": member.username, "password": PASSWORD})
    assert client.session.get("_auth_user_id") is None


def test_a_banned_member_with_an_open_session_is_logged_out_on_the_next_request(
        client, member, cm, django_capture_on_commit_callbacks):
    client.force_login(member)
    sanction(cm, member, "ban", django_capture_on_commit_callbacks)

    assert client.get("/notifications/")["Location"].startswith(LOGIN)


# --- refusals ---------------------------------------------------------------------------------------


def test_staff_superusers_and_oneself_cannot_be_sanctioned(cm, staff, member):
    with pytest.raises(PermissionDenied, match="Staff"):
        sanctions.sanction_member(actor=cm, member=staff, kind="ban", reason="No.")
    with pytest.raises(PermissionDenied, match="yourself"):
        sanctions.sanction_member(actor=cm, member=cm, kind="warn", reason="No.")
    with pytest.raises(PermissionDenied):
        sanctions.sanction_member(actor=member, member=cm, kind="warn", reason="No.")
    assert not Sanction.objects.exists()


def test_the_member_page_refuses_to_sanction_staff(client, cm, staff):
    client.force_login(cm)
    response = client.post(reverse("moderation:member", args=[staff.username]),
                           {"kind": "ban", "reason": "Nope."})
    assert response.status_code == 403
    assert refreshed(staff).banned_at is None


@pytest.mark.parametrize("days", ["0", "3651", "", "soon"])
def test_bad_days_give_a_400_and_keep_the_reason(client, cm, member, days):
    client.force_login(cm)
    response = client.post(reverse("moderation:member", args=[member.username]),
                           {"kind": "suspend", "reason": "Repeated insults in the forum.", "days": days})
    assert response.status_code == 400
    assert b"Repeated insults in the forum." in response.content
    assert not Sanction.objects.exists()


@pytest.mark.parametrize("role", ["visitor", "member", "contributor"])
@pytest.mark.parametrize("name,method,args", [
    ("moderation:member", "get", ["maya"]),
    ("moderation:member", "post", ["maya"]),
    ("moderation:remove_content", "post", ["maya"]),
    ("moderation:lift_sanction", "post", [1]),
])
def test_sanction_pages_are_for_moderators_only(client_as, member, role, name, method, args):
    response = getattr(client_as(role), method)(reverse(name, args=args), {"kind": "ban", "reason": "x", "confirm": "on"})
    if role == "visitor":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == 403
    assert refreshed(member).banned_at is None


def test_my_sanctions_needs_a_login(client):
    assert client.get(reverse("moderation:my_sanctions"))["Location"].startswith(LOGIN)


# --- the CM's page, lifting, expiry --------------------------------------------------------------


def test_a_cm_sanctions_from_the_member_page_and_sees_the_history(client, cm, member,
                                                                  django_capture_on_commit_callbacks):
    client.force_login(cm)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("moderation:member", args=[member.username]),
                               {"kind": "silence", "reason": "Flooding the forum.", "days": "2"})
    assert response.status_code == 302
    page = client.get(reverse("moderation:member", args=[member.username]))
    assert b"Flooding the forum." in page.content
    assert refreshed(member).silenced_until is not None
    entry = AuditLogEntry.objects.get(action="sanction_silence")
    assert (entry.actor, entry.object_id, entry.reason) == (cm, member.pk, "Flooding the forum.")


def test_the_profile_links_to_the_sanction_page_for_cms_only(client, cm, member):
    url = reverse("moderation:member", args=[member.username])
    client.force_login(cm)
    assert url.encode() in client.get(member.get_absolute_url()).content
    client.force_login(member)
    own = client.get(member.get_absolute_url()).content
    assert url.encode() not in own
    assert reverse("moderation:my_sanctions").encode() in own


def test_lifting_a_suspension_lets_the_member_back_in(client, cm, member, django_capture_on_commit_callbacks):
    suspension = sanction(cm, member, "suspend", django_capture_on_commit_callbacks, days=30)
    client.force_login(cm)

    client.post(reverse("moderation:lift_sanction", args=[suspension.pk]))

    suspension.refresh_from_db()
    assert suspension.lifted_by == cm and suspension.lifted_at is not None
    assert refreshed(member).suspended_until is None
    assert AuditLogEntry.objects.filter(action="sanction_lift", object_id=member.pk).exists()
    client.logout()
    client.post(LOGIN, {"login": member.username, "password": PASSWORD})
    assert client.session.get("_auth_user_id") == str(member.pk)


def test_lifting_one_silence_keeps_the_longer_one(cm, member, django_capture_on_commit_callbacks):
    short = sanction(cm, member, "silence", django_capture_on_commit_callbacks, days=1)
    long = sanction(cm, member, "silence", django_capture_on_commit_callbacks, days=10)
    sanctions.lift_sanction(actor=cm, sanction=long)
    assert refreshed(member).silenced_until == short.ends_at


def test_lifting_a_ban(cm, member, django_capture_on_commit_callbacks):
    ban = sanction(cm, member, "ban", django_capture_on_commit_callbacks)
    assert sanctions.lift_sanction(actor=cm, sanction=ban)
    assert not sanctions.lift_sanction(actor=cm, sanction=ban)
    assert refreshed(member).banned_at is None


def test_the_beat_task_expires_silences_and_suspensions(cm, member, regular, django_capture_on_commit_callbacks):
    silence = sanction(cm, member, "silence", django_capture_on_commit_callbacks, days=1)
    suspension = sanction(cm, regular, "suspend", django_capture_on_commit_callbacks, days=5)
    past = timezone.now() - timedelta(minutes=1)
    Sanction.objects.filter(pk=silence.pk).update(ends_at=past)
    User.objects.filter(pk=member.pk).update(silenced_until=past)

    assert tasks.expire_sanctions.apply().get() == 1

    silence.refresh_from_db()
    suspension.refresh_from_db()
    assert silence.ended_at is not None and not silence.is_active
    assert suspension.ended_at is None and suspension.is_active
    assert refreshed(member).silenced_until is None
    assert refreshed(regular).suspended_until is not None
    assert AuditLogEntry.objects.filter(action="sanctions_expired").count() == 1
    assert tasks.expire_sanctions.apply().get() == 0


def test_the_task_is_scheduled_every_five_minutes(settings):
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "moderation.expire_sanctions"]
    assert entries and entries[0]["schedule"] == 300.0
    assert tasks.expire_sanctions.name == "moderation.expire_sanctions"


# --- remove all content -------------------------------------------------------------------------


def test_remove_all_content_keeps_forum_counters_exact(client, cm, forum, topic, newcomer, regular,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ReplyFactory(topic=topic, author=newcomer, body="Buy cheap pills here.")
        ReplyFactory(topic=topic, author=regular, body="A genuine answer.")
        own = TopicFactory(forum=forum, author=newcomer, title="Cheap pills", body="Pills pills pills.")
        ReplyFactory(topic=own, author=regular, body="Reported.")
        ReplyFactory(topic=own, author=newcomer, body="More pills.")
    client.force_login(cm)

    refused = client.post(reverse("moderation:remove_content", args=[newcomer.username]), {"reason": "Spam"})
    assert refused.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):  # the removal runs as a task after commit
        response = client.post(reverse("moderation:remove_content", args=[newcomer.username]),
                               {"confirm": "on", "reason": "Spammer"})

    assert response.status_code == 302
    assert not Post.objects.filter(author=newcomer, status=Visibility.PUBLISHED).exists()
    assert Topic.objects.get(pk=own.pk).status == Visibility.REMOVED
    forum = Forum.objects.get(pk=forum.pk)
    visible_topics = Topic.objects.filter(forum=forum, status=Visibility.PUBLISHED)
    visible_posts = Post.objects.filter(topic__in=visible_topics, status=Visibility.PUBLISHED)
    assert forum.topic_count == visible_topics.count() == 1
    assert forum.post_count == visible_posts.count() == 2
    assert Topic.objects.get(pk=topic.pk).post_count == 2
    entry = AuditLogEntry.objects.get(action="remove_all_content")
    assert entry.detail["removed"] >= 3 and entry.actor == cm and entry.reason == "Spammer"


def test_remove_all_content_leaves_the_request_and_runs_in_rounds_over_every_kind(
        cm, forum, topic, newcomer, monkeypatch, django_capture_on_commit_callbacks):
    """The request only records the intent; the worker removes in batches (a new round per batch),
    through each kind's hook, and logs once with the totals."""
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            ReplyFactory(topic=topic, author=newcomer, body=f"Spam number {i}.")
    monkeypatch.setattr(sanctions, "REMOVE_BATCH", 2)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = sanctions.remove_all_content(actor=cm, member=newcomer, reason="Spam wave")
    assert Post.objects.filter(author=newcomer, status=Visibility.PUBLISHED).count() == 5  # nothing yet
    assert event.kind == "moderation.remove_all_content" and len(callbacks) == 1

    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()  # the courier runs the handler; each round records the next one

    assert not Post.objects.filter(author=newcomer).exclude(status=Visibility.REMOVED).exists()
    assert Event.objects.filter(kind="moderation.remove_all_content").count() == 3  # rounds of 2, 2 and 1 rows
    entry = AuditLogEntry.objects.get(action="remove_all_content")
    assert entry.detail["per_kind"]["forums.post"] == 5 and entry.reason == "Spam wave"


# --- the member's own history --------------------------------------------------------------------


def test_a_member_sees_their_own_history_with_the_reasons(client, cm, member, regular,
                                                          django_capture_on_commit_callbacks):
    sanction(cm, member, "silence", django_capture_on_commit_callbacks, reason="Too many duplicates.", days=1)
    sanction(cm, regular, "warn", django_capture_on_commit_callbacks, reason="Someone else's warning.")
    client.force_login(member)

    page = client.get(reverse("moderation:my_sanctions"))

    assert page.status_code == 200
    assert b"Too many duplicates." in page.content
    assert b"Someone else&#x27;s warning." not in page.content and b"Someone else's warning." not in page.content


def test_a_member_cannot_acknowledge_someone_elses_warning(client, cm, member, regular,
                                                           django_capture_on_commit_callbacks):
    warning = sanction(cm, regular, "warn", django_capture_on_commit_callbacks)
    client.force_login(member)
    assert client.post(reverse("moderation:acknowledge_warning", args=[warning.pk])).status_code == 404
    assert Sanction.objects.get(pk=warning.pk).acknowledged_at is None


def test_every_kind_is_audited(cm, member, django_capture_on_commit_callbacks):
    for kind in SanctionKind.values:
        sanction(cm, member, kind, django_capture_on_commit_callbacks, days=1)
    assert set(AuditLogEntry.objects.values_list("action", flat=True)) == {
        "sanction_warn", "sanction_silence", "sanction_suspend", "sanction_ban"}


def test_a_warning_shows_a_banner_on_every_page_until_acknowledged(cm, member, client):
    from moderation import sanctions as sanction_services

    warning = sanction_services.sanction_member(actor=cm, member=member, kind="warn", reason="Mind your tone.")
    client.force_login(member)
    for url in ("/", "/forums/", "/members/"):
        page = client.get(url).content.decode()
        assert "A moderator sent you a warning" in page and "/moderation/my-sanctions/" in page
    client.post(f"/moderation/my-sanctions/{warning.pk}/acknowledge/")
    assert "A moderator sent you a warning" not in client.get("/").content.decode()
    member.refresh_from_db()
    assert member.pending_warnings == 0


def test_lifting_an_unacknowledged_warning_removes_the_banner(cm, member, client):
    from moderation import sanctions as sanction_services

    warning = sanction_services.sanction_member(actor=cm, member=member, kind="warn", reason="Mind your tone.")
    sanction_services.sanction_member(actor=cm, member=member, kind="warn", reason="Again.")
    member.refresh_from_db()
    assert member.pending_warnings == 2
    sanction_services.lift_sanction(actor=cm, sanction=warning)
    member.refresh_from_db()
    assert member.pending_warnings == 1


def test_a_double_submitted_sanction_gives_one_sanction(cm, member, client):
    client.force_login(cm)
    data = {"kind": "warn", "reason": "Mind your tone."}
    url = f"/moderation/members/{member.username}/"
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Sanction.objects.filter(member=member).count() == 1
    member.refresh_from_db()
    assert member.pending_warnings == 1


def test_a_cm_cannot_sanction_another_cm_but_staff_can(cm, staff, client):
    from tests.factories import UserFactory

    lea = UserFactory(username="lea", roles=["Community managers"])
    client.force_login(cm)
    page = client.get(f"/moderation/members/{lea.username}/").content.decode()
    assert "You cannot sanction this member" in page
    response = client.post(f"/moderation/members/{lea.username}/", {"kind": "warn", "reason": "Hm."})
    assert response.status_code == 403 and "Only staff can sanction a community manager." in response.content.decode()
    assert not Sanction.objects.filter(member=lea).exists()
    client.force_login(staff)
    assert client.post(f"/moderation/members/{lea.username}/", {"kind": "warn", "reason": "Hm."}).status_code == 302
    assert Sanction.objects.filter(member=lea).count() == 1


def test_a_silenced_member_starting_a_topic_gets_the_reason_and_keeps_the_text(cm, member, client):
    from tests.factories import ForumFactory

    forum = ForumFactory(name="Bikes", slug="bikes")
    sanctions.sanction_member(actor=cm, member=member, kind="silence", reason="Cool down.", days=2)
    client.force_login(member)
    response = client.post(reverse("forums:topic_create", args=[forum.pk, forum.slug]),
                           {"title": "My carefully typed title", "body": "And a long body I wrote."})
    assert response.status_code == 403
    page = response.content.decode()
    assert "You are silenced until" in page and "My sanctions" in page
    assert "My carefully typed title" in page and "And a long body I wrote." in page


@pytest.mark.parametrize(("kind", "days"), [("ban", None), ("suspend", 3)])
def test_a_refused_login_tells_the_moderators_reason(client, member, cm, kind, days,
                                                     django_capture_on_commit_callbacks):
    sanction(cm, member, kind, django_capture_on_commit_callbacks, days=days)
    from tests.factories import PASSWORD

    response = client.post(LOGIN, {"login": member.username, "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert "reason: “Be kind.”" in page
    assert "_auth_user_id" not in client.session


def test_a_cm_cannot_lift_their_own_sanction_nor_another_cms(cm, staff, client):
    from tests.factories import UserFactory

    lea = UserFactory(username="lea", roles=["Community managers"])
    own = sanctions.sanction_member(actor=staff, member=cm, kind="silence", reason="Pause.", days=2)
    hers = sanctions.sanction_member(actor=staff, member=lea, kind="warn", reason="Careful.")
    for sanction_row in (own, hers):
        with pytest.raises(PermissionDenied):
            sanctions.lift_sanction(actor=cm, sanction=sanction_row)
    client.force_login(cm)
    response = client.post(reverse("moderation:lift_sanction", args=[own.pk]), follow=True)
    assert "You cannot sanction yourself." in response.content.decode()
    assert Sanction.objects.get(pk=own.pk).lifted_at is None
    assert "Lift" not in client.get(reverse("moderation:member", args=[lea.username])).content.decode()
    assert sanctions.lift_sanction(actor=staff, sanction=own) is True


def test_the_sanctioned_member_reads_the_sanction_in_their_language(cm, member, client,
                                                                    django_capture_on_commit_callbacks):
    sanction(cm, member, "silence", django_capture_on_commit_callbacks, days=2)
    client.force_login(member)
    inbox = client.get(reverse("community:notifications")).content.decode()
    assert "A moderator sanctioned your account: Silence" in inbox
    User.objects.filter(pk=member.pk).update(language="fr")
    inbox = client.get(reverse("community:notifications"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Un modérateur a sanctionné votre compte : Mise en silence" in inbox


# --- the sanction pages: paged, and a fixed number of queries whatever the history -----------------
# A CM's page about a member: the CM (1), the member (1), the history's count and page with who gave
# each sanction (2), the log lines' count and page with their moderators (2). Both people's roles
# (may this CM sanction them?) come from the cache (community.permissions.grants, warm).
MEMBER_PAGE_QUERIES = 6
# A member's own sanctions: the member (1; their roles from the cache), the warnings of the banner
# (1), the history's count and page (2).
MY_SANCTIONS_QUERIES = 4


def give_sanctions(count, member, moderators):
    """`count` warnings and silences by turns, by several moderators, every third one lifted (a log
    line more): the member stays logged in, and every branch of a history row runs."""
    for i in range(count):
        kind, days = [("warn", None), ("silence", 2)][i % 2]
        given = sanctions.sanction_member(actor=moderators[i % len(moderators)], member=member, kind=kind,
                                          reason=f"Reason {i}.", days=days)
        if i % 3 == 2:
            sanctions.lift_sanction(actor=moderators[0], sanction=given)


def history_rows(page):
    return page.count("<tr>\n  <td><time")


def log_rows(page):
    return page.count("<tr><td><time")


@pytest.mark.parametrize("count", [1, 30])
def test_the_member_page_runs_a_fixed_number_of_queries(count, cm, staff, member, client,
                                                        django_assert_num_queries):
    give_sanctions(count, member, [cm, staff])
    client.force_login(cm)

    with django_assert_num_queries(MEMBER_PAGE_QUERIES):
        response = client.get(reverse("moderation:member", args=[member.username]))

    assert response.status_code == 200
    page = response.content.decode()
    assert history_rows(page) == min(count, 20)
    assert log_rows(page) == min(count + count // 3, 20)


def test_the_member_page_pages_the_history_and_the_log_apart(cm, member, client):
    give_sanctions(30, member, [cm])  # 30 sanctions, 40 log lines
    client.force_login(cm)
    url = reverse("moderation:member", args=[member.username])

    first = client.get(url).content.decode()
    assert 'href="?page=2#history-title"' in first and 'href="?log_page=2#log-title"' in first
    assert "Reason 29." in first and "Reason 9." not in first  # newest first

    second = client.get(url, {"page": 2}).content.decode()
    assert history_rows(second) == 10 and log_rows(second) == 20
    assert "Reason 9." in second and "Reason 0." in second
    assert 'href="?page=2&amp;log_page=2#log-title"' in second  # keeps the history's page
    both = client.get(url, {"page": 2, "log_page": 2}).content.decode()
    assert history_rows(both) == 10 and log_rows(both) == 20
    assert 'href="?log_page=2&amp;page=1#history-title"' in both  # keeps the log's page

    for bad in ({"page": 3}, {"page": "x"}, {"log_page": 3}, {"log_page": 0}):
        assert client.get(url, bad).status_code == 404


def test_the_member_page_without_history_keeps_its_empty_states(cm, member, client):
    client.force_login(cm)

    page = client.get(reverse("moderation:member", args=[member.username])).content.decode()

    assert "No sanction yet." in page and "No moderation action yet." in page
    assert 'class="pagination"' not in page


def test_the_member_page_shows_the_log_lines_about_the_member(cm, member, client):
    give_sanctions(3, member, [cm])  # warn, silence, warn lifted
    client.force_login(cm)

    page = client.get(reverse("moderation:member", args=[member.username])).content.decode()

    assert log_rows(page) == 4
    assert "Lift a sanction" in page and "Warn" in page and "Silence" in page and "@sam" in page


@pytest.mark.parametrize("count", [1, 30])
def test_my_sanctions_runs_a_fixed_number_of_queries(count, cm, staff, member, client, django_assert_num_queries):
    give_sanctions(count, member, [cm, staff])
    client.force_login(member)

    with django_assert_num_queries(MY_SANCTIONS_QUERIES):
        response = client.get(reverse("moderation:my_sanctions"))

    assert response.status_code == 200
    assert history_rows(response.content.decode()) == min(count, 20)


def test_my_sanctions_is_paged(cm, member, client):
    give_sanctions(30, member, [cm])
    client.force_login(member)
    url = reverse("moderation:my_sanctions")

    first = client.get(url).content.decode()
    assert history_rows(first) == 20 and 'href="?page=2"' in first
    second = client.get(url, {"page": 2}).content.decode()
    assert history_rows(second) == 10 and "Reason 0." in second and 'href="?page=1"' in second
    for bad in ({"page": 3}, {"page": "last"}, {"page": -1}):
        assert client.get(url, bad).status_code == 404


def test_my_sanctions_without_history_keeps_its_empty_state(member, client):
    client.force_login(member)

    page = client.get(reverse("moderation:my_sanctions")).content.decode()

    assert "You have never been sanctioned." in page and 'class="pagination"' not in page
