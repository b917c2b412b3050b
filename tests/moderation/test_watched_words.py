"""Watched words: block, censor, require approval, alert (the CMs' brand watch), and "test a rule"."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from community import content
from community.models import Visibility
from community.notifications.models import Notification
from forums import services as forum_services
from forums.models import Post
from moderation import reports, watched
from moderation.models import AuditLogEntry, WatchedWord, WatchedWordHit
from tests.factories import ReplyFactory, TopicFactory, UserFactory

WORDS = reverse("moderation:watched_words")
NEW_WORD = reverse("moderation:watched_word_new")
QUEUE = reverse("moderation:queue")


def word(phrase, action, *watchers, enabled=True):
    return watched.create_word(phrase=phrase, action=action, enabled=enabled, watchers=watchers)


def found(text):
    return sorted(rule.phrase for rule in watched.matcher().find(text))


# --- the matcher ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("phrase", "text", "matches"), [
    ("cafe", "Un CAFÉ crème, s'il vous plaît", True),
    ("Café", "best cafe in town", True),
    ("spam*", "Spammers everywhere", True),
    ("spam*", "a spam", True),
    ("*coin", "buy bitcoin now", True),
    ("acme corp", "I love ACME   Corp!", True),
    ("acme corp", "I love acme-corp", True),
    ("ass", "a class act, assess it", False),  # whole words only
    ("spam*", "antispam filter", False),
    ("tribune", "Ｔｒｉｂｕｎｅ rocks", True),  # full-width letters
    ("tribune", "tri\u200bbune is great", True),  # a zero-width space inside the word
    ("élan", "ELAN vital", True),
    ("naïve", "a naive plan", True),
])
def test_the_matcher_ignores_case_and_accents_and_matches_whole_words(db, phrase, text, matches):
    word(phrase, "alert")
    assert (found(text) == [phrase]) is matches


def test_the_matcher_is_rebuilt_when_the_list_changes_and_when_another_process_changes_it(db):
    assert found("casino night") == []
    casino = word("casino", "approve")
    assert found("casino night") == ["casino"]  # this process: at once
    watched.remove_word(casino)
    assert found("casino night") == []
    # Another process changed the list: it bumped the shared version token; this one notices
    # within RECHECK_SECONDS (forced here by ageing the local check).
    WatchedWord.objects.bulk_create([WatchedWord(phrase="poker", normalized="poker", action="approve")])
    cache.set(watched.VERSION_KEY, "changed-elsewhere", None)
    watched.matching._local["checked"] -= watched.RECHECK_SECONDS + 1
    assert found("poker night") == ["poker"]


def test_disabled_words_do_nothing(db):
    word("casino", "block", enabled=False)
    assert found("casino") == []


@pytest.mark.parametrize("phrase", ["*", "**", "a", " * a ", "a*b*c*d*e"])
def test_phrases_that_would_match_everything_are_refused(phrase):
    assert watched.validate_phrase(phrase) is not None


def test_censor_masks_text_but_never_tags_attributes_or_entities(db):
    word("amp", "censor")
    word("idiot*", "censor")
    html = '<p>Idiots &amp; <a href="https://idiot.example/amp">amp idiot</a></p>'
    assert watched.mask(html, is_html=True) == (
        '<p>■■■■■■ &amp; <a href="https://idiot.example/amp">■■■ ■■■■■</a></p>')
    assert watched.mask("You IDIOT", is_html=False) == "You ■■■■■"


# --- block -----------------------------------------------------------------------------------------------

def test_a_blocked_word_refuses_the_reply_with_a_message_and_keeps_the_text(topic, member, client):
    word("viagra", "block")
    client.force_login(member)
    body = "Cheap VIÂGRA here, and the rest of my carefully typed reply."
    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": body})
    assert response.status_code == 400
    page = response.content.decode()
    assert "not allowed here" in page and "viagra" in page
    assert "the rest of my carefully typed reply" in page  # nothing typed is lost
    assert not Post.objects.filter(body=body).exists()


def test_a_blocked_word_in_a_title_refuses_the_topic(forum, member, client):
    word("viagra", "block")
    client.force_login(member)
    response = client.post(reverse("forums:topic_create", args=[forum.pk, forum.slug]),
                           {"title": "Viagra deals", "body": "A perfectly normal body."})
    assert response.status_code == 400
    assert "not allowed here" in response.content.decode()


def test_a_blocked_word_refuses_an_edit_and_keeps_the_post_as_it_was(topic, regular, client):
    post = topic.first_post
    word("viagra", "block")
    client.force_login(regular)
    response = client.post(reverse("forums:post_edit", args=[post.pk]), {"body": "now with viagra", "reason": ""})
    assert response.status_code == 400
    assert "now with viagra" in response.content.decode()
    post.refresh_from_db()
    assert "viagra" not in post.body


def test_a_blocked_word_refuses_a_profile_bio(member, client):
    word("viagra", "block")
    client.force_login(member)
    response = client.post(reverse("community:profile_edit"), {
        "display_name": "Maya", "language": "", "bio": "I sell viagra", "website": "", "location": ""})
    assert response.status_code == 400
    assert "not allowed here" in response.content.decode()
    assert "viagra" not in (member.profile.__class__.objects.get(user=member).bio)


# --- censor ------------------------------------------------------------------------------------------------

def test_censored_words_are_masked_on_every_page_but_kept_in_the_database(
        forum, regular, client, django_capture_on_commit_callbacks):
    word("idiot*", "censor")
    with django_capture_on_commit_callbacks(execute=True):
        topic = TopicFactory(forum=forum, author=regular, title="Idiots on the road",
                             body="Drivers are idiots, honestly.")
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Idiots on the road" not in page and "idiots, honestly" not in page  # (the URL's slug keeps it)
    assert "■■■■■■ on the road" in page and "Drivers are ■■■■■■, honestly." in page
    assert "■■■■■■ on the road" in client.get(forum.get_absolute_url()).content.decode()
    feed = client.get(reverse("forums:feed")).content.decode()
    assert "Idiots on the road" not in feed and "idiots, honestly" not in feed
    assert Post.objects.get(pk=topic.first_post_id).body == "Drivers are idiots, honestly."
    with django_capture_on_commit_callbacks(execute=True):
        watched.remove_word(WatchedWord.objects.get())  # the word is lifted: everything reads as written again
    assert "Drivers are idiots, honestly." in client.get(topic.get_absolute_url()).content.decode()


def test_censoring_costs_no_query_on_the_topic_page(topic, client, django_assert_max_num_queries):
    client.get(topic.get_absolute_url())
    word("idiot*", "censor")
    watched.matcher()  # the list was loaded once after the change
    with django_assert_max_num_queries(3):
        assert client.get(topic.get_absolute_url() + "?nocache").status_code == 200


# --- require approval -----------------------------------------------------------------------------------

def test_an_approval_word_holds_the_post_in_the_queue_until_a_cm_approves_it(
        topic, regular, member, cm, client, django_capture_on_commit_callbacks):
    word("casino*", "approve")
    watcher = UserFactory(username="watcher")
    forum_services.set_topic_watch(actor=watcher, topic=topic, watching=True)
    with django_capture_on_commit_callbacks(execute=True):
        post = ReplyFactory(topic=topic, author=member, body="Join my casino night, @watcher!")
    post.refresh_from_db()
    assert post.status == Visibility.PENDING and post.spam_status == "ham"  # clean, but held by the word
    assert "casino night" not in client.get(topic.get_absolute_url()).content.decode()
    assert not Notification.objects.filter(recipient=watcher).exists()
    client.force_login(cm)
    queue = client.get(QUEUE).content.decode()
    assert "Join my casino night" in queue and "Watched words:" in queue and "“casino*”" in queue
    with django_capture_on_commit_callbacks(execute=True):
        reports.decide(actor=cm, kind_name="forums.post", object_id=post.pk, decision="approve")
    post.refresh_from_db()
    assert post.status == Visibility.PUBLISHED
    client.logout()
    assert "Join my casino night" in client.get(topic.get_absolute_url()).content.decode()
    # Published now: the mention and the watcher are told, once.
    assert Notification.objects.filter(recipient=watcher).count() == 1


def test_an_edit_that_adds_an_approval_word_holds_the_post_again(
        topic, regular, django_capture_on_commit_callbacks):
    word("casino*", "approve")
    post = topic.first_post
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.edit_post(actor=regular, post=post, body="Now about casinos")
    post.refresh_from_db()
    assert post.status == Visibility.PENDING


# --- alert: the brand watch ---------------------------------------------------------------------------

def test_an_alert_publishes_and_tells_the_cms_watching_the_word_once_per_item(
        topic, member, cm, django_capture_on_commit_callbacks):
    other_cm = UserFactory(username="lea", roles=["Community managers"])
    word("Tribune", "alert", cm)
    with django_capture_on_commit_callbacks(execute=True):
        post = ReplyFactory(topic=topic, author=member, body="Has anyone tried the TRIBUNE app?")
    post.refresh_from_db()
    assert post.status == Visibility.PUBLISHED
    alert = Notification.objects.get(recipient=cm)
    assert alert.kind == "cm_watched_word" and alert.data["url"] == post.get_absolute_url()
    assert alert.data["words"] == "“Tribune”" and alert.data["title"] == "Has anyone tried the TRIBUNE app?"
    assert not Notification.objects.filter(recipient=other_cm).exists()  # not watching it
    for body in ("Tribune, again", "Still about Tribune"):  # edits do not alert again
        with django_capture_on_commit_callbacks(execute=True):
            forum_services.edit_post(actor=member, post=post, body=body)
    assert Notification.objects.filter(recipient=cm).count() == 1
    assert WatchedWordHit.objects.filter(kind="forums.post", object_id=post.pk).count() == 1


def test_a_watcher_who_is_no_longer_a_cm_is_not_alerted(topic, member, django_capture_on_commit_callbacks):
    former = UserFactory(username="former")  # no CM role
    word("tribune", "alert", former)
    with django_capture_on_commit_callbacks(execute=True):
        ReplyFactory(topic=topic, author=member, body="tribune")
    assert not Notification.objects.filter(recipient=former).exists()


def test_a_cms_or_staffs_own_words_raise_no_alert_but_a_members_do(topic, member, cm, django_capture_on_commit_callbacks):
    """The CMs are the ones watching: a CM answering an alert from the inbox quotes the word."""
    staff = UserFactory(username="stella", is_staff=True)
    word("Tribune", "alert", cm)
    with django_capture_on_commit_callbacks(execute=True):
        by_cm = ReplyFactory(topic=topic, author=cm, body="> Has anyone tried the Tribune app?\n\nYes: see the FAQ.")
        by_staff = ReplyFactory(topic=topic, author=staff, body="Tribune 2.0 is out.")
        by_member = ReplyFactory(topic=topic, author=member, body="I love Tribune.")

    alerted = set(WatchedWordHit.objects.values_list("object_id", flat=True))
    assert alerted == {by_member.pk} and by_cm.pk not in alerted and by_staff.pk not in alerted
    assert Notification.objects.filter(recipient=cm, kind="cm_watched_word").count() == 1


# --- the CM's pages -------------------------------------------------------------------------------------

def test_a_cm_adds_a_word_watches_it_and_the_change_is_audited(cm, client):
    client.force_login(cm)
    assert client.get(WORDS).status_code == 200
    response = client.post(NEW_WORD, {"phrase": "  Acme   Corp ", "action": "alert", "enabled": "on",
                                      "note": "brand", "watch": "on"})
    assert response.status_code == 302
    saved = WatchedWord.objects.get()
    assert saved.phrase == "Acme Corp" and list(saved.watchers.all()) == [cm]
    assert AuditLogEntry.objects.filter(action="watched_word_add", actor=cm).exists()
    assert "Acme Corp" in client.get(WORDS).content.decode()
    response = client.post(reverse("moderation:watched_word_delete", args=[saved.pk]))
    assert response.status_code == 302 and not WatchedWord.objects.exists()
    assert AuditLogEntry.objects.filter(action="watched_word_delete").exists()


@pytest.mark.parametrize(("phrase", "message"), [
    ("*", "at least two letters"),
    ("ÀCME corp", "already watched"),
    ("", "This field is required"),
])
def test_bad_words_get_a_400_with_a_message(cm, client, phrase, message):
    word("acme corp", "alert")
    client.force_login(cm)
    response = client.post(NEW_WORD, {"phrase": phrase, "action": "alert"})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_testing_a_rule_shows_what_it_would_have_caught_in_the_last_30_days_without_saving(
        forum, regular, cm, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        recent = TopicFactory(forum=forum, author=regular, title="Crypto", body="Buy Bitcoin today")
        old = TopicFactory(forum=forum, author=regular, title="Old", body="bitcoin in 2019")
    Post.objects.filter(pk=old.first_post_id).update(created_at=timezone.now() - timedelta(days=45))
    client.force_login(cm)
    response = client.post(NEW_WORD, {"phrase": "*coin", "action": "approve", "test": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "would have caught 1 item" in page and "Buy Bitcoin today" in page
    assert "bitcoin in 2019" not in page
    assert recent.first_post.get_absolute_url() in page
    assert not WatchedWord.objects.exists()  # a test saves nothing
    assert 'value="*coin"' in page  # and keeps the form as typed


def test_the_test_also_reports_when_nothing_would_be_caught(cm, client, db):
    client.force_login(cm)
    page = client.post(NEW_WORD, {"phrase": "zeppelin", "action": "alert", "test": "1"}).content.decode()
    assert "would have caught 0 items" in page and "Nothing in the last 30 days" in page


def test_the_content_protocol_display_filter_is_registered():
    assert watched.mask in content._display_filters
    assert watched.publish_check in content._publish_checks


def test_staff_manage_watched_words_in_the_admin_with_the_same_rules(staff, client):
    client.force_login(staff)
    add = reverse("admin:moderation_watchedword_add")
    assert client.get(add).status_code == 200
    response = client.post(add, {"phrase": "*", "action": "block", "enabled": "on", "note": ""})
    assert response.status_code == 200 and "at least two letters" in response.content.decode()
    response = client.post(add, {"phrase": "Casino", "action": "block", "enabled": "on", "note": ""})
    assert response.status_code == 302
    response = client.post(add, {"phrase": "CASINÔ", "action": "alert", "enabled": "on", "note": ""})
    assert "already watched" in response.content.decode()
    assert found("casino royale") == ["Casino"]
    word = WatchedWord.objects.get()
    assert AuditLogEntry.objects.filter(action="watched_word_add", actor=staff, kind=watched.WORD_KIND,
                                        object_id=word.pk, detail__phrase="Casino").count() == 1
    response = client.post(reverse("admin:moderation_watchedword_delete", args=[word.pk]), {"post": "yes"})
    assert response.status_code == 302 and not WatchedWord.objects.exists()
    assert AuditLogEntry.objects.filter(action="watched_word_delete", actor=staff, object_id=word.pk).count() == 1
    assert client.get(reverse("admin:moderation_watchedwordhit_changelist")).status_code == 200


def test_staff_block_domains_in_the_admin_through_the_audited_services(staff, client):
    from moderation.domains import DOMAIN_KIND
    from moderation.models import BlockedDomain

    client.force_login(staff)
    add = reverse("admin:moderation_blockeddomain_add")
    assert client.get(add).status_code == 200
    response = client.post(add, {"domain": " www.Cheap-Pills.example ", "note": "Link drops"})
    assert response.status_code == 302
    blocked = BlockedDomain.objects.get()
    assert blocked.domain == "cheap-pills.example"  # normalized, as the spam check compares it
    assert AuditLogEntry.objects.filter(action="blocked_domain_add", actor=staff, kind=DOMAIN_KIND, object_id=blocked.pk,
                                        detail={"domain": "cheap-pills.example", "note": "Link drops"}).count() == 1
    response = client.post(add, {"domain": "CHEAP-pills.example", "note": ""})
    assert response.status_code == 200 and "already blocked" in response.content.decode()
    change = reverse("admin:moderation_blockeddomain_change", args=[blocked.pk])
    assert client.post(change, {"domain": "cheap-pills.example", "note": "Spam wave"}).status_code == 302
    assert AuditLogEntry.objects.filter(action="blocked_domain_change", actor=staff, object_id=blocked.pk).count() == 1
    other = BlockedDomain.objects.create(domain="pills.example")
    response = client.post(reverse("admin:moderation_blockeddomain_changelist"),
                           {"action": "delete_selected", "_selected_action": [blocked.pk, other.pk], "post": "yes"})
    assert response.status_code == 302 and not BlockedDomain.objects.exists()
    assert sorted(AuditLogEntry.objects.filter(action="blocked_domain_delete", actor=staff)
                  .values_list("object_id", flat=True)) == sorted([blocked.pk, other.pk])
    assert AuditLogEntry.objects.get(action="blocked_domain_delete", object_id=other.pk).action_label == "Unblock a domain"


def test_the_cm_reads_the_alert_in_the_inbox_and_lands_on_the_post(topic, member, cm, client,
                                                                    django_capture_on_commit_callbacks):
    word("Tribune", "alert", cm)
    with django_capture_on_commit_callbacks(execute=True):
        post = ReplyFactory(topic=topic, author=member, body="Tribune is nice.\nSecond line.")
    client.force_login(cm)
    inbox = client.get(reverse("community:notifications")).content.decode()
    assert "used “Tribune” in “Tribune is nice.”" in inbox
    go = client.get(reverse("community:notification_go", args=[Notification.objects.get(recipient=cm).pk]))
    assert go.status_code == 302 and go["Location"].endswith(post.get_absolute_url())


@pytest.mark.parametrize("body", ["buy vi&#97;gra now", "buy **via**gra now", "buy v&#x69;agra"])
def test_a_blocked_word_is_caught_as_the_page_would_show_it(topic, member, client, body):
    word("viagra", "block")
    client.force_login(member)
    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": body})
    assert response.status_code == 400 and "not allowed here" in response.content.decode()


def test_invisible_and_direction_characters_are_dropped_from_phrases(cm, client):
    client.force_login(cm)
    client.post(NEW_WORD, {"phrase": "ze\u200bro\u202e", "action": "alert", "enabled": "on"})
    assert WatchedWord.objects.get().phrase == "zero"
    assert found("zero hour") == ["zero"]


@pytest.mark.parametrize("phrase", ["[a-", "😀a", "a*b*c*d"])
def test_more_phrases_that_are_refused(phrase):
    assert watched.validate_phrase(phrase) is not None


def test_a_bio_with_an_approval_word_waits_for_a_cm(member, cm, client, django_capture_on_commit_callbacks):
    word("casino*", "approve")
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("community:profile_edit"), {
            "display_name": "Maya", "language": "", "bio": "I run casinos.", "website": "", "location": ""})
    assert response.status_code == 302
    client.logout()
    assert "I run casinos." not in client.get(member.get_absolute_url()).content.decode()
    client.force_login(cm)
    assert "I run casinos." in client.get(QUEUE).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        reports.decide(actor=cm, kind_name="community.profile", object_id=member.profile.pk, decision="approve")
    client.logout()
    assert "I run casinos." in client.get(member.get_absolute_url()).content.decode()


def test_a_hashtag_is_a_word_too(topic, member, client):
    word("viagra", "block")
    client.force_login(member)
    for body in ("buy #viagra now", "buy ＃viagra now"):
        assert client.post(reverse("forums:reply", args=[topic.pk]), {"body": body}).status_code == 400


@pytest.mark.parametrize(("html", "shown"), [
    ("<p>you <strong>idi</strong>ot</p>", "<p>you <strong>■■■</strong>■■</p>"),
    ("<p>you ｉｄｉｏｔ</p>", "<p>you ■■■■■</p>"),
    ("<p>#idiots</p>", "<p>#■■■■■■</p>"),
    ('<p><a href="https://idiot.example">ok</a> &#105;</p>', '<p><a href="https://idiot.example">ok</a> &#105;</p>'),
])
def test_censoring_reaches_words_split_by_formatting_and_full_width(db, html, shown):
    word("idiot*", "censor")
    assert watched.mask(html, is_html=True) == shown


def test_a_word_saved_twice_at_once_is_a_form_error_not_a_500(cm, db):
    from django.core.exceptions import ValidationError

    word("casino", "block")
    with pytest.raises(ValidationError, match="already watched"):
        watched.save_word(actor=cm, word=WatchedWord(phrase="CASINO", action="alert"))


def test_deleting_a_word_twice_is_logged_once(cm, client):
    casino = word("casino", "block")
    client.force_login(cm)
    url = reverse("moderation:watched_word_delete", args=[casino.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 404
    assert watched.delete_word(actor=cm, word=casino) is False
    assert AuditLogEntry.objects.filter(action="watched_word_delete").count() == 1


def test_a_title_opening_a_code_fence_does_not_hide_the_body(forum, member, client):
    word("viagra", "block")
    client.force_login(member)
    response = client.post(reverse("forums:topic_create", args=[forum.pk, forum.slug]),
                           {"title": "```Deals", "body": "Cheap vi&#97;gra here"})
    assert response.status_code == 400 and "not allowed here" in response.content.decode()


def test_a_blocked_word_in_a_display_name_is_refused(member, client):
    word("viagra", "block")
    client.force_login(member)
    response = client.post(reverse("community:profile_edit"), {
        "display_name": "Cheap viagra", "language": "", "bio": "", "website": "", "location": ""})
    assert response.status_code == 400 and "not allowed here" in response.content.decode()


@pytest.mark.parametrize("text", ["via\u034fgra", "vi\ufe0fagra", "v\U000e0041iagra", "vi\u2063agra"])
def test_invisible_characters_do_not_split_a_word(db, text):
    word("viagra", "block")
    assert found(text) == ["viagra"]


def test_a_spam_check_never_undoes_a_moderators_removal(topic, cm, django_capture_on_commit_callbacks):
    from moderation import services as moderation_services
    from tests.factories import UserFactory

    rookie = UserFactory(username="rookie2", trust_level=0)
    with django_capture_on_commit_callbacks(execute=False):
        post = ReplyFactory(topic=topic, author=rookie, body="A perfectly fine answer.")
    reports.decide(actor=cm, kind_name="forums.post", object_id=post.pk, decision="remove")
    moderation_services.check_content(kind_name="forums.post", object_id=post.pk, release_held=True)
    post.refresh_from_db()
    assert post.status == Visibility.REMOVED


def test_approving_a_held_edit_does_not_announce_the_post_again(topic, member, cm,
                                                                django_capture_on_commit_callbacks):
    friend = UserFactory(username="friend")
    with django_capture_on_commit_callbacks(execute=True):
        post = ReplyFactory(topic=topic, author=member, body="Hello @friend")
    assert Notification.objects.filter(recipient=friend).count() == 1
    word("casino*", "approve")
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.edit_post(actor=member, post=post, body="Hello @friend, casino tonight?")
    post.refresh_from_db()
    assert post.status == Visibility.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        reports.decide(actor=cm, kind_name="forums.post", object_id=post.pk, decision="approve")
    assert Notification.objects.filter(recipient=friend).count() == 1


def test_the_word_list_has_an_empty_state(cm, client):
    client.force_login(cm)
    assert "No watched word yet." in client.get(WORDS).content.decode()


@pytest.mark.parametrize("size", [1, 12])
def test_the_word_list_renders_in_a_fixed_number_of_queries(size, cm, client, django_assert_num_queries):
    for index in range(size):
        word(f"brand{index}", "alert", cm)
    client.force_login(cm)
    client.get(WORDS)  # the session and the member's roles warm up identically for both sizes
    # The words with their hit counts; their watchers (the session, the member's row and roles: cached).
    with django_assert_num_queries(2):
        response = client.get(WORDS)
    assert response.content.decode().count("moderation/words/") >= size
