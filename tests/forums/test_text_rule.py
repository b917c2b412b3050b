"""One text rule, every URL: text that is deleted, hidden, removed, held, redacted by a moderator, or
in a place the viewer may not read is served by no URL — walked from the URLconf (a URL added later is
covered without editing this file), with every id of the world in every place an id goes, and the
quote previews, the feeds, the inbox and the emails.

Each secret is a marker word in a text; the walk asserts no response shows it to a visitor or to a
member who may not read it. The control tests check that the rule is not "nobody": the author still
reads their held post, moderators still read deleted, hidden and redacted text."""

import itertools
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from community import content
from community.models import Profile, Visibility
from community.notifications.models import Notification
from community.tasks import send_digests
from forums import services as forum_services
from forums.models import PostRevision, Topic
from tests.factories import ReplyFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRETS = {
    "deleted": "zebradeleted",
    "hidden": "zebrahidden",
    "removed": "zebraremoved",
    "held": "zebraheld",
    "cmroom": "zebracmroom",
    "doxx": "zebradoxx",
    "doxx_early": "zebraearlydoxx",
    "banned_bio": "zebrabannedbio",
    "hidden_topic": "zebrahiddentopic",
    "hidden_title": "zebratitle",
}
LEAKY = re.compile("|".join(SECRETS.values()))


@pytest.fixture
def reader(db):
    """A member who may read the public forum, watches the topic and gets its news by email."""
    return UserFactory(username="reader", display_name="Reader")


@pytest.fixture
def world(topic, cm_forum, cm, oliver, reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.set_topic_watch(actor=reader, topic=topic, watching=True)
        forum_services.set_forum_watch(actor=reader, forum=topic.forum, watching=True)
    with django_capture_on_commit_callbacks(execute=True):
        spam_topic = TopicFactory(forum=topic.forum, author=oliver, title=f"Cheap {SECRETS['hidden_title']} pills",
                                  body="Buy them")
    # A moderator hides the topic after the watchers were told: its title is hidden text now.
    Topic.objects.filter(pk=spam_topic.pk).update(status=Visibility.HIDDEN)
    posts = {}
    with django_capture_on_commit_callbacks(execute=True):
        posts["deleted"] = forum_services.post_reply(actor=oliver, topic=topic, body=f"my {SECRETS['deleted']} text")
        posts["hidden"] = forum_services.post_reply(actor=oliver, topic=topic, body=f"the {SECRETS['hidden']} one")
        posts["doxx"] = forum_services.post_reply(actor=oliver, topic=topic,
                                                  body=f"first {SECRETS['doxx_early']} draft")
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.edit_post(actor=oliver, post=posts["doxx"], body=f"She lives at {SECRETS['doxx']} street")
        forum_services.delete_post(actor=oliver, post=posts["deleted"])
        forum_services.hide_post(actor=cm, post=posts["hidden"], reason="off topic")
        # The CM takes the address out, with a reason: a redaction.
        forum_services.edit_post(actor=cm, post=posts["doxx"], body="She lives at [address removed]",
                                 reason="Personal data")
    posts["removed"] = ReplyFactory(topic=topic, author=oliver, body=f"a {SECRETS['removed']} post")
    content.kind_for(posts["removed"]).remove(posts["removed"])
    posts["held"] = ReplyFactory(topic=topic, author=oliver, body=f"a {SECRETS['held']} post")
    content.kind_for(posts["held"]).set_status(posts["held"], Visibility.PENDING)
    cm_topic = TopicFactory(forum=cm_forum, author=cm, title="Plans", body=f"the {SECRETS['cmroom']} plan")
    posts["cmroom"] = cm_topic.first_post
    hidden_topic = TopicFactory(forum=topic.forum, author=oliver, title="A topic",
                                body=f"the {SECRETS['hidden_topic']} opening")
    Topic.objects.filter(pk=hidden_topic.pk).update(status=Visibility.HIDDEN)
    hidden_topic.refresh_from_db()
    posts["hidden_topic"] = hidden_topic.first_post
    banned = UserFactory(username="banned", banned_at=timezone.now())
    profile, _ = Profile.objects.get_or_create(user=banned)
    Profile.objects.filter(pk=profile.pk).update(bio=f"I am {SECRETS['banned_bio']}",
                                                 bio_html=f"<p>I am {SECRETS['banned_bio']}</p>")
    return {"posts": posts, "topics": [topic, cm_topic, hidden_topic, spam_topic], "forums": [topic.forum, cm_forum],
            "members": [oliver, banned, reader], "profiles": [profile]}


def _patterns(resolver=None, namespace=""):
    """(name, pattern) of every URL of the project but the Django admin (staff only)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def _values(world, reader):
    posts = list(world["posts"].values())
    notifications = list(Notification.objects.filter(recipient=reader).values_list("pk", flat=True))
    return {
        "post_id": [p.pk for p in posts],
        "topic_id": [t.pk for t in world["topics"]],
        "forum_id": [f.pk for f in world["forums"]],
        "username": [m.username for m in world["members"]],
        "notification_id": notifications or [1],
        "kind": ["forums.post", "community.profile"],
        "object_id": [p.pk for p in posts] + [p.pk for p in world["profiles"]],
        "action": ["pin", "hide"],
        "sanction_id": [1], "word_id": [1], "token": ["x"],
    }


def _urls(world, reader):
    """Every URL with every id of the world in it (slugs follow their object; a wrong one redirects)."""
    values = _values(world, reader)
    slugs = {t.pk: t.slug for t in world["topics"]} | {f.pk: f.slug for f in world["forums"]}
    urls = set()
    for name, pattern in _patterns():
        params = [key for key in pattern.pattern.regex.groupindex if key != "slug"]
        needs_slug = "slug" in pattern.pattern.regex.groupindex
        for combo in itertools.product(*(values.get(key, ["x"]) for key in params)):
            kwargs = dict(zip(params, combo, strict=True))
            if needs_slug:
                kwargs["slug"] = slugs.get(kwargs.get("topic_id") or kwargs.get("forum_id"), "x")
            try:
                urls.add(reverse(name, kwargs=kwargs))
            except Exception:  # a pattern whose arguments this world cannot fill (a fixed choice)
                continue
    for post in world["posts"].values():
        for topic in world["topics"]:
            urls.add(f"{reverse('forums:reply', args=[topic.pk])}?quote={post.pk}")
    urls.add(f"{reverse('community:search')}?q=zebra")
    return sorted(urls)


@pytest.mark.parametrize("role", ["visitor", "reader"])
def test_no_url_shows_text_the_viewer_may_not_read(world, reader, client_for, role):
    client = client_for(reader if role == "reader" else None)
    urls = _urls(world, reader)
    assert len(urls) > 100  # the walk reached the pages with ids in them
    leaks = []
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        found = LEAKY.findall(body.decode("utf-8", "replace"))
        if found:
            leaks.append((url, sorted(set(found))))
    assert leaks == []


def test_the_inbox_and_the_emails_never_quote_deleted_hidden_or_redacted_text(world, reader, client_for,
                                                                               mailoutbox):
    client = client_for(reader)
    inbox = client.get(reverse("community:notifications")).content.decode()
    assert "[address removed]" in inbox  # the excerpt followed the moderator's edit
    assert not LEAKY.search(inbox)
    for data in Notification.objects.filter(recipient=reader).values_list("data", flat=True):
        assert not LEAKY.search(data.get("excerpt", ""))  # no quote kept in the row, for a digest to come

    assert send_digests("daily") == 1
    (digest,) = [m for m in mailoutbox if m.to == [reader.email]]
    assert "[address removed]" in digest.body
    assert not LEAKY.search(digest.body)
    assert not any(LEAKY.search(body) for body, _mime in digest.alternatives)


def test_the_rule_is_not_nobody_the_author_and_the_moderators_still_read_what_is_theirs(world, oliver, cm,
                                                                                        client_for):
    posts = world["posts"]
    author = client_for(oliver)
    assert SECRETS["held"] in author.get(posts["held"].topic.get_absolute_url()).content.decode()
    moderator = client_for(cm)
    history = moderator.get(reverse("forums:post_history", args=[posts["doxx"].pk])).content.decode()
    assert SECRETS["doxx"] in history and SECRETS["doxx_early"] in history
    assert SECRETS["deleted"] in moderator.get(reverse("forums:post_history", args=[posts["deleted"].pk])).content.decode()
    assert SECRETS["hidden"] in moderator.get(posts["hidden"].topic.get_absolute_url()).content.decode()


def test_a_redaction_hides_every_version_it_replaced_tells_the_author_and_logs_no_text(world, oliver, cm,
                                                                                       client_for):
    post = world["posts"]["doxx"]
    assert set(PostRevision.objects.filter(post=post).values_list("moderators_only", flat=True)) == {True}
    page = client_for(oliver).get(reverse("forums:post_history", args=[post.pk])).content.decode()
    assert "earlier versions are shown to moderators only" in page
    assert SECRETS["doxx"] not in page  # the author too: the text is gone from the site

    notice = Notification.objects.get(recipient=oliver, kind="moderator_edit")
    assert notice.data["reason"] == "Personal data"
    inbox = client_for(oliver).get(reverse("community:notifications")).content.decode()
    assert "A moderator edited your post" in inbox and "Personal data" in inbox

    from forums.models import ModerationLogEntry

    entry = ModerationLogEntry.objects.get(post=post, action="edit_post")
    assert entry.detail == "Personal data" and not LEAKY.search(entry.detail)


def test_an_edit_after_a_redaction_keeps_its_own_history_public(world, oliver, client_for):
    post = world["posts"]["doxx"]
    post.refresh_from_db()
    forum_services.edit_post(actor=oliver, post=post, body="She moved away.")
    page = client_for(get_user_model().objects.get(username="reader")).get(
        reverse("forums:post_history", args=[post.pk])).content.decode()
    assert "[address removed]" in page  # the version the author replaced is theirs to show
    assert not LEAKY.search(page)


def test_a_moderator_edit_without_a_reason_is_not_a_redaction(topic, oliver, cm, client_for):
    post = ReplyFactory(topic=topic, author=oliver, body="A brocken link")
    forum_services.edit_post(actor=cm, post=post, body="A broken link")
    assert PostRevision.objects.get(post=post).moderators_only is False
    page = client_for(None).get(reverse("forums:post_history", args=[post.pk])).content.decode()
    assert "A brocken link" in page


@pytest.mark.parametrize("secret", sorted(set(SECRETS) - {"doxx", "doxx_early", "hidden_title"}))
def test_the_report_form_quotes_only_what_the_reporter_may_already_read(world, reader, cm, client_for, secret):
    if secret == "banned_bio":
        kind, pk = "community.profile", world["profiles"][0].pk
    else:
        kind, pk = "forums.post", world["posts"][secret].pk
    url = reverse("moderation:report", args=[kind, pk])
    response = client_for(reader).get(url)
    assert response.status_code == 404 and SECRETS[secret] not in response.content.decode()
    assert client_for(reader).post(url, {"reason": "spam", "note": "x"}).status_code == 404
    if secret == "cmroom":
        return  # the CM wrote it: their own content is not theirs to report
    # A CM, who may read it, still can (the rule is not "nobody").
    moderator = client_for(cm).get(url)
    assert moderator.status_code == 200 and SECRETS[secret] in moderator.content.decode()


def test_an_opening_post_withdrawn_takes_its_topic_and_title_out_of_view(topic, oliver, reader, cm, client_for):
    """Found by an outside probe: the body went, the title stayed on the index, lists and feeds."""
    from forums.models import Forum

    mine = TopicFactory(forum=topic.forum, author=oliver, title="My zebraregret title", body="Oops")
    counts = Forum.objects.filter(pk=topic.forum_id).values_list("topic_count", "post_count").get()
    response = client_for(oliver).post(reverse("forums:post_delete", args=[mine.first_post.pk]))
    assert response.status_code == 302 and response["Location"] == topic.forum.get_absolute_url()
    for client in (client_for(None), client_for(reader)):
        for url in ("/", reverse("forums:index"), topic.forum.get_absolute_url(), reverse("forums:feed"),
                    reverse("forums:forum_feed", args=[topic.forum_id, topic.forum.slug])):
            assert "zebraregret" not in client.get(url).content.decode(), url
        assert client.get(mine.get_absolute_url()).status_code == 404
    assert Forum.objects.filter(pk=topic.forum_id).values_list("topic_count", "post_count").get() == (
        counts[0] - 1, counts[1] - 1)
    assert client_for(cm).get(mine.get_absolute_url()).status_code == 200  # kept for moderators


def test_an_opening_post_others_replied_to_cannot_be_withdrawn(topic, oliver, reader, client_for):
    ReplyFactory(topic=topic, author=reader, body="Welcome!")
    response = client_for(oliver).post(reverse("forums:post_delete", args=[topic.first_post.pk]))
    assert response.status_code == 403
    assert "Others have replied" in response.content.decode()
    topic.first_post.refresh_from_db()
    assert topic.first_post.is_deleted is False
