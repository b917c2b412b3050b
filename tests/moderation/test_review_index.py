"""The review index (moderation.ReviewItem) follows every held and reported item of every kind,
including the races of a busy queue: the queue pages it in the database."""

import pytest
from django.urls import reverse

from community import content, events
from community.models import Event, SpamStatus, Visibility
from community.notifications.models import Notification
from forums.models import Post
from moderation import reports, review
from moderation.models import Report, ReportStatus, ReviewItem
from tests.factories import ReplyFactory, UserFactory

pytestmark = pytest.mark.django_db


def item(post):
    return ReviewItem.objects.filter(kind="forums.post", object_id=post.pk).first()


def test_a_report_filed_while_a_decision_runs_keeps_the_item_in_the_queue(topic, regular, cm):
    """The decision resolves the reports it saw; one filed meanwhile is still open and counted."""
    post = ReplyFactory(topic=topic, author=regular, body="Rude words here.")
    first, second = UserFactory(), UserFactory()
    reports.report_content(actor=first, kind_name="forums.post", object_id=post.pk, reason="abuse")
    # The decision resolved 1 report; meanwhile a second one was filed (counted before it ends).
    review.reported("forums.post", post.pk)
    Report.objects.create(reporter=second, kind="forums.post", object_id=post.pk, reason="abuse")
    Report.objects.filter(reporter=first).update(status=ReportStatus.RESOLVED)
    review.resolved("forums.post", post.pk, 1)

    assert item(post) is not None and item(post).open_reports == 1


def test_held_then_released_leaves_the_index_and_reported_stays(topic, regular, cm):
    post = ReplyFactory(topic=topic, author=regular, body="A perfectly fine reply.")
    kind = content.kind_for(post)
    assert item(post) is None  # published and unreported: no row, no query spent

    reports.report_content(actor=UserFactory(), kind_name="forums.post", object_id=post.pk, reason="spam")
    assert not item(post).held and item(post).open_reports == 1
    kind.set_status(post, Visibility.PENDING)
    assert item(post).held
    kind.restore(post)
    assert not item(post).held and item(post).open_reports == 1  # still reported
    reports.decide(actor=cm, kind_name="forums.post", object_id=post.pk, decision="approve")
    assert item(post) is None


def test_a_status_change_judges_the_spam_status_as_stored_not_a_stale_copy(topic, regular):
    """A moderator restores a post (an old copy says ham) while the spam check marked it spam: the
    item is published spam — held — and stays in the queue."""
    post = ReplyFactory(topic=topic, author=regular, body="Something.")
    kind = content.kind_for(post)
    kind.set_status(post, Visibility.HIDDEN)
    stale = Post.objects.get(pk=post.pk)
    Post.objects.filter(pk=post.pk).update(spam_status=SpamStatus.SPAM)  # the check, meanwhile

    kind.restore(stale)

    assert item(post) is not None and item(post).held


def test_content_deleted_outside_the_services_leaves_the_queue_after_one_look(topic, regular, cm, client):
    post = ReplyFactory(topic=topic, author=regular, body="Gone soon.")
    reports.report_content(actor=UserFactory(), kind_name="forums.post", object_id=post.pk, reason="spam")
    Post.objects.filter(pk=post.pk).delete()  # e.g. the Django admin
    client.force_login(cm)

    assert "no longer exists" in client.get(reverse("moderation:queue")).content.decode()
    assert item(post) is None


def test_rebuild_recomputes_the_index_from_the_content_and_the_reports(topic, regular):
    held = ReplyFactory(topic=topic, author=regular, body="Held one.")
    reported = ReplyFactory(topic=topic, author=regular, body="Reported one.")
    Post.objects.filter(pk=held.pk).update(status=Visibility.PENDING)  # behind the services' back
    Report.objects.create(reporter=UserFactory(), kind="forums.post", object_id=reported.pk, reason="abuse")
    ReviewItem.objects.all().delete()

    assert review.rebuild() == 2
    assert item(held).held and item(reported).open_reports == 1


def test_a_post_released_before_its_creation_was_delivered_is_announced_once(
        topic, regular, cm, django_capture_on_commit_callbacks):
    """Held at creation, approved by a CM while its creation event still waits on the spam queue:
    the publication event tells the watchers; the creation event, delivered later, does not again."""
    watcher = UserFactory(username="watcher")
    from forums.services import set_topic_watch

    set_topic_watch(actor=watcher, topic=topic, watching=True)
    newcomer = UserFactory(username="fresh", trust_level=0)
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        post = ReplyFactory(topic=topic, author=newcomer, body="Hello, first post here.")
    assert Post.objects.get(pk=post.pk).status == Visibility.PENDING
    created = Event.objects.get(kind=events.CONTENT_CREATED, target_id=post.pk)

    with django_capture_on_commit_callbacks(execute=True):
        reports.decide(actor=cm, kind_name="forums.post", object_id=post.pk, decision="approve")
    assert Notification.objects.filter(recipient=watcher).count() == 1  # by the publication event

    events.dispatch_event(created.pk)  # the creation event's delivery, at last
    assert Notification.objects.filter(recipient=watcher).count() == 1
    assert waiting  # (its courier was queued, and held back here)


def test_a_decision_that_changes_nothing_on_unreported_content_tells_nobody(
        topic, regular, cm, django_capture_on_commit_callbacks):
    """Approving a published post nobody reported (a forged POST): nothing to log, nobody to tell."""
    post = ReplyFactory(topic=topic, author=regular, body="Fine as it is.")
    content.kind_for(post).set_spam_status(post, SpamStatus.HAM)

    with django_capture_on_commit_callbacks(execute=True):
        reports.decide(actor=cm, kind_name="forums.post", object_id=post.pk, decision="approve")

    from moderation.models import AuditLogEntry

    assert not AuditLogEntry.objects.filter(object_id=post.pk).exists()
    assert not Notification.objects.filter(recipient=regular, kind="moderation").exists()
