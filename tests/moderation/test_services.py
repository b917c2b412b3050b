from django.urls import reverse

from community import events
from community.models import Event, EventStatus, SpamStatus, Visibility
from community.services import update_profile
from forums.models import Forum, Post, Topic
from forums.services import post_reply
from moderation import services, tasks
from moderation.models import SpamCheck
from tests.factories import UserFactory

from .conftest import OBVIOUS_SPAM

CRASHING = ["moderation.spam.checkers.LinksChecker", "tests.moderation.conftest.CrashingChecker"]


def reply(author, topic, body, capture):
    with capture(execute=True):
        post = post_reply(actor=author, topic=topic, body=body)
    post.refresh_from_db()
    return post


def test_a_normal_post_becomes_ham_and_stays_visible(topic, newcomer, client, django_capture_on_commit_callbacks):
    post = reply(newcomer, topic, "Went tubeless last spring, no flat since. Sealant every 3 months.",
                 django_capture_on_commit_callbacks)

    assert post.spam_status == SpamStatus.HAM
    assert post.status == Visibility.PUBLISHED
    check = SpamCheck.objects.get(object_id=post.pk, kind="forums.post")
    assert check.verdict == "ham" and check.author_id == newcomer.pk
    assert Topic.objects.get(pk=topic.pk).post_count == 2
    assert "no flat since" in client.get(topic.get_absolute_url()).content.decode()


def test_the_opening_post_of_a_topic_is_checked_too(topic):
    assert Post.objects.get(pk=topic.first_post_id).spam_status == SpamStatus.HAM


def test_obvious_spam_from_a_new_member_is_held_out_of_view(topic, newcomer, regular, client,
                                                            django_capture_on_commit_callbacks):
    forum_posts_before = Forum.objects.get(pk=topic.forum_id).post_count
    post = reply(newcomer, topic, OBVIOUS_SPAM, django_capture_on_commit_callbacks)

    assert post.spam_status == SpamStatus.SPAM
    assert post.status == Visibility.PENDING  # "awaiting review"
    check = SpamCheck.objects.get(object_id=post.pk)
    assert check.verdict == "spam" and check.score >= 5
    assert "url:shortener" in check.reasons and "cta:imperative" in check.reasons
    assert check.evidence["cta:imperative"]  # the words that showed it, for the queue
    # Counters are exact: the held post is not counted anywhere.
    assert Topic.objects.get(pk=topic.pk).post_count == 1
    assert Forum.objects.get(pk=topic.forum_id).post_count == forum_posts_before
    # Others do not see it; its author sees it awaiting review.
    client.force_login(regular)
    assert "cash-4-u" not in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(newcomer)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "cash-4-u" in page and "Awaiting review" in page


def test_a_spam_topic_is_held_with_its_forum_counts(forum, newcomer, client, django_capture_on_commit_callbacks):
    from forums.services import create_topic

    with django_capture_on_commit_callbacks(execute=True):
        topic = create_topic(actor=newcomer, forum=forum, title="Earn money fast", body=OBVIOUS_SPAM)
    topic.refresh_from_db()
    assert topic.status == Visibility.PENDING
    forum.refresh_from_db()
    assert (forum.topic_count, forum.post_count) == (0, 0)
    for url in (reverse("forums:forum", kwargs={"forum_id": forum.pk, "slug": forum.slug}), reverse("forums:index"),
                reverse("forums:feed"), reverse("forums:forum_feed", kwargs={"forum_id": forum.pk, "slug": forum.slug}),
                "/", reverse("community:search") + "?q=money"):
        assert "Earn money fast" not in client.get(url).content.decode(), url  # lists, feeds, home, search
    assert client.get(topic.get_absolute_url()).status_code == 404


def test_a_check_delivered_twice_decides_once(topic, newcomer):
    post = post_reply(actor=newcomer, topic=topic, body=OBVIOUS_SPAM)  # no commit: no delivery yet

    assert tasks.check_spam.delay("forums.post", post.pk).get() == "spam"
    assert tasks.check_spam.delay("forums.post", post.pk).get() == "already-decided-or-gone"
    assert SpamCheck.objects.filter(object_id=post.pk).count() == 1
    assert Topic.objects.get(pk=topic.pk).post_count == 1  # held once, counted down once


def test_an_event_sent_again_does_not_check_again(topic, newcomer, django_capture_on_commit_callbacks):
    post = reply(newcomer, topic, "Thanks, that settles it for me!", django_capture_on_commit_callbacks)
    event = Event.objects.get(kind="content.created", target_id=post.pk, payload__kind="forums.post")
    Event.objects.filter(pk=event.pk).update(status=EventStatus.PENDING)  # as if the ack was lost

    assert events.dispatch_event(event.pk) == "done"
    assert SpamCheck.objects.filter(object_id=post.pk).count() == 1


def test_a_crashing_checker_leaves_it_pending_and_a_redelivery_decides(
        topic, newcomer, settings, django_capture_on_commit_callbacks):
    settings.SPAM_CHECKERS = CRASHING
    post = reply(newcomer, topic, OBVIOUS_SPAM, django_capture_on_commit_callbacks)
    event = Event.objects.get(kind="content.created", target_id=post.pk, payload__kind="forums.post")

    assert post.spam_status == SpamStatus.PENDING
    assert event.status == EventStatus.PENDING and "checker crashed" in event.last_error
    assert not SpamCheck.objects.filter(object_id=post.pk).exists()

    del settings.SPAM_CHECKERS  # the fix is deployed; the sweeper sends the event again
    assert events.dispatch_event(event.pk) == "done"
    post.refresh_from_db()
    assert (post.spam_status, post.status) == (SpamStatus.SPAM, Visibility.PENDING)
    assert SpamCheck.objects.filter(object_id=post.pk).count() == 1


def test_an_edit_is_checked_again(topic, newcomer, django_capture_on_commit_callbacks):
    from forums.services import edit_post

    post = reply(newcomer, topic, "Tubeless is great on gravel, go for it.", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        edit_post(actor=newcomer, post=post, body=OBVIOUS_SPAM)
    post.refresh_from_db()
    assert (post.spam_status, post.status) == (SpamStatus.SPAM, Visibility.PENDING)
    assert list(SpamCheck.objects.filter(object_id=post.pk).order_by("pk").values_list("verdict", flat=True)) == [
        "ham", "spam"]


def test_a_profile_bio_change_is_checked(newcomer, django_capture_on_commit_callbacks):
    def edit(bio):
        with django_capture_on_commit_callbacks(execute=True):
            update_profile(actor=newcomer, member=newcomer, display_name="New", language="", bio=bio,
                           website="", location="")
        newcomer.profile.refresh_from_db()
        return newcomer.profile

    profile = edit("Gravel rider from Lyon, I also build keyboards.")
    assert profile.spam_status == SpamStatus.HAM
    profile = edit(OBVIOUS_SPAM)
    assert (profile.spam_status, profile.status) == (SpamStatus.SPAM, Visibility.PENDING)
    assert SpamCheck.objects.filter(kind="community.profile", object_id=profile.pk).count() == 2


def test_a_blocked_domain_decides_even_for_an_old_member(topic, regular, settings,
                                                         django_capture_on_commit_callbacks):
    from moderation.domains import block_domain

    block_domain("www.Cheap-Pills.example")  # normalized: cheap-pills.example
    post = reply(regular, topic, "See https://shop.cheap-pills.example/deal for tyres.",
                 django_capture_on_commit_callbacks)
    assert post.spam_status == SpamStatus.SPAM
    assert SpamCheck.objects.get(object_id=post.pk).reasons[0] == "domain:blocked"


def test_an_email_link_to_a_blocked_domain_decides_too(topic, regular, django_capture_on_commit_callbacks):
    from moderation.domains import block_domain

    block_domain("cheap-pills.example")
    post = reply(regular, topic, "Order by mail: <orders@cheap-pills.example>", django_capture_on_commit_callbacks)
    assert post.spam_status == SpamStatus.SPAM
    assert SpamCheck.objects.get(object_id=post.pk).reasons[0] == "domain:blocked"


def test_a_profile_website_is_checked_with_its_text(newcomer, django_capture_on_commit_callbacks):
    from moderation.domains import block_domain

    block_domain("cheap-pills.example")
    with django_capture_on_commit_callbacks(execute=True):
        update_profile(actor=newcomer, member=newcomer, display_name="New", language="", bio="Hello.",
                       website="https://cheap-pills.example/", location="")
    newcomer.profile.refresh_from_db()
    assert newcomer.profile.spam_status == SpamStatus.SPAM


def test_one_link_from_an_old_member_is_fine(topic, regular, django_capture_on_commit_callbacks):
    post = reply(regular, topic, "The sealant guide I follow: https://bikes.example/tubeless-guide",
                 django_capture_on_commit_callbacks)
    assert post.spam_status == SpamStatus.HAM


def test_the_same_text_posted_quickly_again_and_again_is_spam(forum, newcomer, django_capture_on_commit_callbacks):
    from forums.services import create_topic

    body = "Check out my channel for the best gravel videos, subscribe and share please"
    verdicts = []
    for number in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            topic = create_topic(actor=newcomer, forum=forum, title=f"Videos {number}", body=body)
        verdicts.append(Post.objects.get(pk=topic.first_post_id).spam_status)
    assert verdicts[0] == SpamStatus.HAM
    assert verdicts[-1] == SpamStatus.SPAM
    reasons = SpamCheck.objects.order_by("-pk").first().reasons
    assert "text:repeated" in reasons and "rate:fast" in reasons


def test_content_learned_as_spam_by_the_classifier_is_held(topic, regular, django_capture_on_commit_callbacks):
    for number in range(10):
        services.learn_from_decision(text=f"casino bonus free spins jackpot tonight {number}", is_spam=True)
        services.learn_from_decision(text=f"my bike chain squeaks after rain, what oil {number}", is_spam=False)
    post = reply(regular, topic, "Free spins and a casino bonus jackpot tonight only",
                 django_capture_on_commit_callbacks)
    assert post.spam_status == SpamStatus.SPAM
    assert "bayes:spam" in SpamCheck.objects.get(object_id=post.pk).reasons


def test_unknown_or_missing_targets_are_ignored(db):
    assert services.check_content(kind_name="forums.post", object_id=987654) is None
    other = UserFactory()
    assert other.profile.spam_status == SpamStatus.PENDING
