"""Every URL of the project, walked from the URLconf (a new one is covered without editing this
file) with sample arguments from a small demo-like community: methods outside what a URL serves
answer 405 — never 200, never 500 — whoever asks, our views and the libraries' (allauth, the admin)
alike; and each of our views serves exactly its declared methods (pages GET and HEAD, actions POST,
form pages both)."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from blogs.comments import add_comment, review_token
from blogs.models import SpacePostPage
from blogs.services import create_space
from community.models import User
from community.notifications.delivery import unsubscribe_token
from community.notifications.models import Notification
from moderation import sanctions, watched
from tests.factories import ForumFactory, ReplyFactory, TopicFactory, UserFactory

UNSERVED = ["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]

# Our views by what they serve. A new URL must be added here (test_every_url_of_ours_is_classified).
PAGES = {
    "home", "cms_door", "community:members", "community:profile", "community:notifications", "community:notification_bell",
    "community:notification_go", "cm:dashboard", "community:search", "forums:index", "forums:feed",
    "forums:forum", "forums:forum_feed", "forums:topic", "forums:topic_unread", "forums:post",
    "forums:post_history", "wiki:index", "moderation:queue", "moderation:log",
    "moderation:my_sanctions", "moderation:watched_words", "blogs:comment", "blogs:comment_reply",
    "blogs:comment_history", "blogs:waiting_comments",
}
FORMS = {
    "community:profile_edit", "community:notification_preferences", "community:unsubscribe", "forums:topic_create",
    "forums:reply", "forums:post_edit", "moderation:member", "moderation:watched_word_new",
    "moderation:watched_word_edit", "moderation:report", "blogs:comment_edit", "blogs:comment_review_link",
}
ACTIONS = {
    "set_language", "community:notifications_read_all", "community:notification_read", "forums:forum_watch",
    "forums:forum_mark_read", "forums:topic_watch", "forums:topic_moderate", "forums:post_delete",
    "forums:post_like", "forums:post_accept", "forums:post_moderate", "moderation:decide",
    "moderation:remove_content", "moderation:lift_sanction", "moderation:acknowledge_warning",
    "moderation:watched_word_delete", "blogs:follow", "blogs:comment_create", "blogs:comment_delete",
    "blogs:comment_moderate", "blogs:space_approval",
}
# The CM workspace's areas classify their own URLs and add what their URLs need to the world
# (tests/methods_ext/<area>.py: PAGES, FORMS, ACTIONS and extend(world) -> {"name": object, "samples": {param: value}}).
EXTENSIONS = [importlib.import_module(f"tests.methods_ext.{module.name}")
              for module in pkgutil.iter_modules([str(Path(__file__).parent / "methods_ext")])]
for _extension in EXTENSIONS:
    PAGES |= getattr(_extension, "PAGES", set())
    FORMS |= getattr(_extension, "FORMS", set())
    ACTIONS |= getattr(_extension, "ACTIONS", set())

# The Django admin, allauth and Wagtail (its admin, page serving, documents): only the site-wide rule applies.
LIBRARIES = ("admin", "account_", "wagtail")


def walk(patterns, prefix="", namespace=None):
    """(route as written, qualified name or None, URLPattern) for every pattern, included ones too."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name, pattern


def first_of_each_route(routes):
    """A route written twice is served by its first pattern (ours before a library's: allauth's
    signup view is subclassed at the same address): walk the one that answers."""
    seen = set()
    for route in routes:
        if route[0] not in seen:
            seen.add(route[0])
            yield route


ROUTES = list(first_of_each_route(walk(get_resolver().url_patterns)))


def route_id(route):
    return route[1] or route[0]


def is_ours(name):
    return name is not None and not name.startswith(LIBRARIES)


@pytest.fixture
def world(db):
    """A small community, as the demo seeds it: a member with a topic, another member's reply,
    a CM, a staff member told about the reply, a sanction, a watched word."""
    member = UserFactory(username="member")
    other = UserFactory(username="other")
    cm = UserFactory(username="cm", roles=["Community managers"])
    staff = UserFactory(username="staff", roles=["Staff"], is_staff=True, is_superuser=True)
    forum = ForumFactory(name="Bikes", slug="bikes")
    topic = TopicFactory(forum=forum, author=member, title="Tubeless tyres", body="Worth it?")
    reply = ReplyFactory(topic=topic, author=other, body="Yes, for gravel.")
    # For the staff member, who walks every page (past every permission check).
    notification = Notification.objects.create(recipient=staff, kind="reply", group_key=f"reply:topic:{topic.pk}",
                                               data={"title": topic.title, "url": reply.get_absolute_url()})
    sanction = sanctions.sanction_member(actor=cm, member=other, kind="warn", reason="Be kind")
    word = watched.create_word(phrase="casino", action="approve")
    # A space with a post, and a comment by the staff member (who may edit their own comment).
    space = create_space(actor=cm, owner=member, kind="column", title="Member's column")
    post = SpacePostPage(title="A first post")
    space.add_child(instance=post)
    post.save_revision(user=member).publish(user=member)
    comment = add_comment(actor=staff, post=SpacePostPage.objects.get(pk=post.pk), body="Nice read.")
    world = {"member": member, "cm": cm, "staff": staff, "forum": forum, "topic": topic, "post": reply,
             "notification": notification, "sanction": sanction, "word": word, "space": space, "comment": comment,
             "samples": {}}
    for extension in EXTENSIONS:
        if hasattr(extension, "extend"):
            added = extension.extend(world)
            world["samples"].update(added.pop("samples", {}))
            world.update(added)
    return world


def sample(param, group_regex, route, world):
    """The value of one URL parameter, from the world."""
    alternatives = re.fullmatch(r"[a-z_|]+", group_regex or "")
    if alternatives and "|" in group_regex:
        return group_regex.split("|")[0]  # pin|unpin|…, hide|restore, an admin app label
    values = {
        "username": world["member"].username,
        "forum_id": world["forum"].pk,
        "slug": world["topic"].slug if "topic_id" in route else world["forum"].slug,
        "topic_id": world["topic"].pk,
        "post_id": world["post"].pk,
        "notification_id": world["notification"].pk,
        "token": (review_token(comment_id=world["comment"].pk, user_id=world["staff"].pk) if "review" in route
                  else unsubscribe_token(world["member"].pk, "reply")),
        "comment_id": world["comment"].pk,
        "sanction_id": world["sanction"].pk,
        "word_id": world["word"].pk,
        "space_id": world["space"].pk,
        "kind": "forums.post",
        "object_id": world["post"].pk,
        "id": world["member"].pk,
        "content_type_id": ContentType.objects.get_for_model(User).pk,
        "key": "sample-key",
        "uidb36": "1",
        "url": "nowhere/",
    }
    values.update(world["samples"])
    return values.get(param, "1")  # a library's own parameter (Wagtail's ids, app labels)


def url_of(route, world):
    """The route as written, its parameters replaced by sample values: a real URL of the site."""
    written, name, pattern = route
    path = written.replace("^", "").replace("$", "")
    path = re.sub(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)",
                  lambda m: str(sample(m.group(1), m.group(2), written, world)), path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(sample(m.group(1), None, written, world)), path)
    url = "/" + path
    if re.search(r"[()\[\]*+?\\]", url):
        # An unnamed group of a library's pattern (Wagtail serves any page path): a sample page path.
        url = re.sub(r"\(\(\?:\[\\w\\-\]\+/\)\*\)", "sample/", url)
        if re.search(r"[()\[\]*+?\\]", url):
            return "/" + written.split("(")[0].lstrip("^")  # the pattern's fixed prefix answers for it
    assert resolve(url).func == pattern.callback, (written, url)
    return url


def test_the_walk_finds_every_kind_of_url():
    names = {route[1] for route in ROUTES}
    assert {"home", "account_login", "admin:index", "forums:topic", "moderation:member",
            "community:notification_go"} <= names
    assert any(route[0] == "admin/(?P<url>.*)$" for route in ROUTES)  # unnamed ones too


def test_every_url_of_ours_is_classified():
    ours = {name for _written, name, _pattern in ROUTES if is_ours(name)}
    assert ours == PAGES | FORMS | ACTIONS
    assert not (PAGES & FORMS or PAGES & ACTIONS or FORMS & ACTIONS)


@pytest.mark.parametrize("who", ["visitor", "member", "staff"])
def test_methods_the_site_does_not_speak_answer_405_on_every_url(who, world, client):
    if who != "visitor":
        client.force_login(world[who])
    refused = []
    for route in ROUTES:  # one loop (not a test per URL): the world is built once
        url = url_of(route, world)
        for method in UNSERVED:
            response = client.generic(method, url)
            if response.status_code != 405 or response.get("Allow") != "GET, HEAD, POST":
                refused.append((method, url, response.status_code))
    assert len(ROUTES) > 150
    assert refused == []


@pytest.mark.parametrize("route", [route for route in ROUTES if route[1] in PAGES], ids=route_id)
def test_a_page_serves_get_and_head_and_refuses_a_post(route, world, client):
    client.force_login(world["staff"])  # past every permission check
    url = url_of(route, world)

    assert client.get(url).status_code in (200, 302)
    assert client.head(url).status_code in (200, 302)
    response = client.post(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("route", [route for route in ROUTES if route[1] in ACTIONS], ids=route_id)
def test_an_action_serves_post_only(route, world, client):
    client.force_login(world["staff"])
    url = url_of(route, world)

    for method in ("get", "head"):
        response = getattr(client, method)(url)
        assert response.status_code == 405, (url, method)
        assert response["Allow"] == "POST"


@pytest.mark.parametrize("route", [route for route in ROUTES if route[1] in FORMS], ids=route_id)
def test_a_form_page_serves_get_and_post(route, world, client):
    client.force_login(world["staff"])
    url = url_of(route, world)

    assert client.get(url).status_code == 200
    assert client.post(url).status_code not in (405, 500)
