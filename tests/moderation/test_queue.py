import pytest
from django.urls import reverse

from community import content, worklists
from community.models import SpamStatus, Visibility
from moderation import reports
from moderation.models import AuditLogEntry, BayesStats, Report, ReportStatus
from tests.factories import ReplyFactory, UserFactory

from .conftest import OBVIOUS_SPAM

QUEUE = reverse("moderation:queue")
DECIDE = reverse("moderation:decide")
LOG = reverse("moderation:log")
# The queue page, whatever its size and mix of kinds: the user and their roles (2); the review
# index paged by the database: its count and the page (2); on the page: rows, one per kind (2),
# their open reports (1), latest spam checks (1), authors' post counts, one per counting kind (1),
# authors' earlier sanctions (1), watched-word hits (1). The post counts are one query per content
# kind that counts (a profile does not): the forums' posts, and the test-only shouts (tests/apps).
COUNTING_KINDS = sum(1 for kind in content.kinds()
                     if not kind.model._meta.get_field(kind.author_field).one_to_one)
# The worklists the apps register (community.worklists: the wiki's edits to patrol) cost one count
# each when empty (here), plus one for their few items when not.
WORKLISTS = len(worklists.worklists())
QUEUE_QUERIES = 10 + COUNTING_KINDS + WORKLISTS


def make_reported_items(n, *, topic, capture):
    """n reported items, alternating forum posts and profiles, each by a new author."""
    reporter = UserFactory(username=f"reporter{n}")
    with capture(execute=True):
        for i in range(n):
            author = UserFactory()
            if i % 2:
                post = ReplyFactory(topic=topic, author=author, body=f"Reply {i} that somebody disliked.")
                kind, pk = "forums.post", post.pk
            else:
                kind, pk = "community.profile", author.profile.pk
            reports.report_content(actor=reporter, kind_name=kind, object_id=pk, reason="abuse", note=f"n{i}")


@pytest.mark.parametrize("size", [2, 20])
def test_the_queue_renders_in_a_fixed_number_of_queries(size, topic, cm, client, django_assert_num_queries,
                                                         django_capture_on_commit_callbacks):
    make_reported_items(size, topic=topic, capture=django_capture_on_commit_callbacks)
    client.force_login(cm)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(QUEUE)
    assert response.status_code == 200
    assert response.content.decode().count('class="queue-item card"') == size


def test_the_queue_shows_reports_grouped_with_reasons_and_the_authors_history(
        topic, newcomer, member, cm, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post = ReplyFactory(topic=topic, author=newcomer, body="You are all idiots.")
        reports.report_content(actor=member, kind_name="forums.post", object_id=post.pk, reason="abuse",
                               note="Insults")
        reports.report_content(actor=UserFactory(), kind_name="forums.post", object_id=post.pk,
                               reason="off_topic")
    client.force_login(cm)
    page = client.get(QUEUE).content.decode()
    assert page.count('class="queue-item card"') == 1
    assert "2 open reports" in page and "Abuse or harassment" in page and "Off-topic" in page
    assert "You are all idiots." in page and "Insults" in page
    assert "@newcomer" in page and "1 post" in page
    assert f'href="{post.get_absolute_url()}"' in page


def test_held_spam_is_in_the_queue_with_its_verdict(topic, newcomer, cm, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post = ReplyFactory(topic=topic, author=newcomer, body=OBVIOUS_SPAM)
    post.refresh_from_db()
    assert post.status == Visibility.PENDING
    client.force_login(cm)
    page = client.get(QUEUE).content.decode()
    assert "Held for review" in page and "Spam verdict" in page
    assert "Shortened links hide where they go" in page and "url:shortener" not in page  # explained, not coded


def test_the_queue_filters_by_kind_and_reason_and_sorts(topic, member, cm, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        one = ReplyFactory(topic=topic, author=UserFactory(), body="Post reported once.")
        two = ReplyFactory(topic=topic, author=UserFactory(), body="Post reported twice.")
        profile_author = UserFactory(username="showoff")
        reports.report_content(actor=member, kind_name="forums.post", object_id=two.pk, reason="spam")
        reports.report_content(actor=UserFactory(), kind_name="forums.post", object_id=two.pk, reason="spam")
        reports.report_content(actor=member, kind_name="community.profile",
                               object_id=profile_author.profile.pk, reason="privacy")
        reports.report_content(actor=member, kind_name="forums.post", object_id=one.pk, reason="abuse")
    client.force_login(cm)
    page = client.get(QUEUE, {"kind": "community.profile"}).content.decode()
    assert "@showoff" in page and "Post reported" not in page
    page = client.get(QUEUE, {"reason": "abuse"}).content.decode()
    assert "Post reported once." in page and "Post reported twice." not in page
    page = client.get(QUEUE, {"sort": "reported"}).content.decode()
    assert page.index("Post reported twice.") < page.index("Post reported once.")
    page = client.get(QUEUE, {"sort": "newest"}).content.decode()
    assert page.index("Post reported once.") < page.index("Post reported twice.")


@pytest.fixture
def reported_post(topic, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post = ReplyFactory(topic=topic, author=UserFactory(username="author"), body="Buy my e-bike, cheap.")
        reports.report_content(actor=member, kind_name="forums.post", object_id=post.pk, reason="spam")
    return post


def decide(client, post, decision, **extra):
    return client.post(DECIDE, {"kind": "forums.post", "id": post.pk, "decision": decision}, **extra)


def test_an_htmx_decision_replaces_the_row_with_its_new_state(reported_post, cm, client,
                                                              django_capture_on_commit_callbacks):
    client.force_login(cm)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, reported_post, "hide", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<li class="queue-item card" id="item-forums-post-') and "Hidden." in body
    assert "<html" not in body
    reported_post.refresh_from_db()
    assert reported_post.status == Visibility.HIDDEN
    assert Report.objects.get().status == ReportStatus.RESOLVED


def test_a_plain_decision_redirects_back_with_a_message(reported_post, cm, client, django_capture_on_commit_callbacks):
    client.force_login(cm)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, reported_post, "remove", follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert "Removed." in response.content.decode()
    reported_post.refresh_from_db()
    assert reported_post.status == Visibility.REMOVED


@pytest.mark.parametrize(("decision", "status", "spam_status"), [
    ("approve", Visibility.PUBLISHED, SpamStatus.HAM),
    ("hide", Visibility.HIDDEN, None),
    ("remove", Visibility.REMOVED, None),
    ("spam", Visibility.REMOVED, SpamStatus.SPAM),
    ("not_spam", Visibility.PUBLISHED, SpamStatus.HAM),
])
def test_each_decision_goes_through_the_content_protocol(decision, status, spam_status, reported_post, cm,
                                                         django_capture_on_commit_callbacks):
    reported_post.refresh_from_db()
    before = reported_post.spam_status
    with django_capture_on_commit_callbacks(execute=True):
        reports.decide(actor=cm, kind_name="forums.post", object_id=reported_post.pk, decision=decision)
    reported_post.refresh_from_db()
    assert reported_post.status == status
    assert reported_post.spam_status == (spam_status or before)
    assert AuditLogEntry.objects.filter(action=decision, object_id=reported_post.pk, actor=cm).exists()


def test_removed_content_is_restorable(reported_post, cm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reports.decide(actor=cm, kind_name="forums.post", object_id=reported_post.pk, decision="remove")
        reports.decide(actor=cm, kind_name="forums.post", object_id=reported_post.pk, decision="restore")
    reported_post.refresh_from_db()
    assert reported_post.status == Visibility.PUBLISHED


def test_spam_and_not_spam_train_the_classifier_once(reported_post, cm, django_capture_on_commit_callbacks):
    for _ in range(2):  # a double click
        with django_capture_on_commit_callbacks(execute=True):
            reports.decide(actor=cm, kind_name="forums.post", object_id=reported_post.pk, decision="spam")
    assert BayesStats.objects.get().spam_docs == 1
    with django_capture_on_commit_callbacks(execute=True):
        reports.decide(actor=cm, kind_name="forums.post", object_id=reported_post.pk, decision="not_spam")
    assert BayesStats.objects.get().ham_docs == 1


def test_bad_decisions_get_a_400_and_unknown_items_a_404(reported_post, cm, client):
    client.force_login(cm)
    assert decide(client, reported_post, "obliterate").status_code == 400
    assert client.post(DECIDE, {"kind": "forums.post", "id": "x", "decision": "hide"}).status_code == 400
    assert client.post(DECIDE, {"kind": "forums.post", "id": 10**9, "decision": "hide"}).status_code == 404
    assert client.post(DECIDE, {"kind": "nope", "id": 1, "decision": "hide"}).status_code == 404
    assert client.get(DECIDE).status_code == 405


@pytest.mark.parametrize("role", ["member", "contributor", "visitor"])
@pytest.mark.parametrize(("method", "url"), [("get", QUEUE), ("get", LOG), ("post", DECIDE), ("get", DECIDE)])
def test_moderation_pages_and_actions_are_403_for_everyone_but_cms(role, method, url, client_as, reported_post):
    client = client_as(role)
    response = getattr(client, method)(url, {"kind": "forums.post", "id": reported_post.pk, "decision": "remove"})
    if url == DECIDE and method == "get":
        assert response.status_code == 405  # the method is checked first, for everyone
    elif role == "visitor":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == 403
    reported_post.refresh_from_db()
    assert reported_post.status == Visibility.PUBLISHED


@pytest.mark.parametrize("role", ["cm", "staff"])
def test_cms_and_staff_open_the_queue_and_the_log(role, client_as):
    client = client_as(role)
    assert client.get(QUEUE).status_code == 200
    assert client.get(LOG).status_code == 200
