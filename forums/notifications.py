"""The forums' notification kinds and who the forums' events concern (registered with
community.notifications at startup)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from community import markup, notifications
from community.events import CONTENT_CREATED
from community.models import Channel, User, Visibility
from community.notifications import MENTION, REACTION, REPLY, Kind, Line, Recipients, format_line
from community.permissions import may_read_post, readers_filter

from . import events
from .models import Post

WATCHED_TOPIC = notifications.register_kind(Kind(
    "watched_topic", _("A new post in a topic I watch"), Channel.DAILY, priority=20, order=30, read_with_content=True,
    message=_("<strong>%(actor)s</strong> posted in “%(title)s”"),
    message_others=ngettext_lazy("<strong>%(actor)s</strong> and %(count)d other posted in “%(title)s”",
                                 "<strong>%(actor)s</strong> and %(count)d others posted in “%(title)s”", "count"),
    subject=_("%(actor)s posted in “%(title)s”")))
WATCHED_FORUM = notifications.register_kind(Kind(
    "watched_forum", _("A new topic in a forum I watch"), Channel.DAILY, priority=10, order=40,
    read_with_content=True, message=_("<strong>%(actor)s</strong> started a topic: “%(title)s”"),
    subject=_("%(actor)s started a topic: “%(title)s”")))


def _moderator_edit_line(line: Line) -> str:
    if line.data.get("reason"):
        return format_line(_("A moderator edited your post in “%(title)s”. Reason: %(reason)s"), line,
                           reason=line.data["reason"])
    return format_line(_("A moderator edited your post in “%(title)s”"), line)


MODERATOR_EDITED = notifications.register_kind(Kind(
    "moderator_edit", _("A moderator edited my post"), Channel.IMMEDIATE, priority=50, order=35,
    line_fn=_moderator_edit_line, subject=_("A moderator edited your post in “%(title)s”"),
    description=_("With the moderator's reason. When the edit takes out personal data, the earlier "
                  "versions are shown to moderators only.")))


def readers(forum):
    """The members who may read `forum` now, as a queryset (community.permissions.readers_filter)."""
    return User.objects.filter(readers_filter(forum.read_level)).order_by()


def readers_among(user_ids, forum) -> set[int]:
    """The members among `user_ids` (a handful) who may read `forum`: one query, none for no ids."""
    ids = {uid for uid in user_ids if uid}
    if not ids:
        return set()
    return set(readers(forum).filter(pk__in=ids).values_list("pk", flat=True))


def can_view_post(user, post) -> bool:
    """Content-protocol `can_view` of forum posts: the forums' text rule (`may_read_post`), asked by
    every URL that shows a post's text and again when emails go out."""
    return may_read_post(user, post)


def _post(event):
    post = (Post.objects.select_related("topic__forum", "author")
            .filter(pk=event.target_id).first())
    if post is None or post.status != Visibility.PUBLISHED or post.topic.status != Visibility.PUBLISHED:
        return None  # held or gone: nobody is told (moderation tells them once it is approved)
    return post


def _data(post):
    return {"title": post.topic.title, "url": f"/forums/p/{post.pk}/",
            "excerpt": markup.excerpt(post.body_html, 160), "forum": post.topic.forum.name}


def new_post_recipients(event):
    """Who a new post concerns, each once for the most specific reason: mentioned, then the topic's
    author (a reply), then watchers of the topic (a reply) or of the forum (a new topic). Never its
    author, nobody who may not read the forum. Watchers come from a join (one query however many
    they are), the few others from a short list."""
    post = _post(event)
    if post is None:
        return None
    topic = post.topic
    may_read = readers(topic.forum)
    if post.position == 1:
        watchers, watching = may_read.filter(forum_subscriptions__forum_id=topic.forum_id), WATCHED_FORUM.name
        named = {}
    else:
        watchers, watching = may_read.filter(topic_subscriptions__topic_id=topic.pk), WATCHED_TOPIC.name
        named = {topic.author_id: REPLY.name}
    for user_id in (event.payload or {}).get("mentions", []):
        if _outranks(MENTION.name, named.get(user_id)):
            named[user_id] = MENTION.name
    candidates = dict.fromkeys(watchers.values_list("pk", flat=True), watching)
    for user_id in readers_among(named, topic.forum):
        if _outranks(named[user_id], candidates.get(user_id)):
            candidates[user_id] = named[user_id]
    candidates.pop(post.author_id, None)
    return Recipients(kinds=candidates, group_key=f"topic:{topic.pk}", data=_data(post))


def _outranks(kind: str, current: str | None) -> bool:
    return current is None or notifications.get_kind(kind).priority > notifications.get_kind(current).priority


def reaction_recipients(event):
    post = _post(event)
    if post is None or post.author_id == event.actor_id:
        return None
    if post.author_id not in readers_among([post.author_id], post.topic.forum):
        return None
    return Recipients(kinds={post.author_id: REACTION.name}, group_key=f"post:{post.pk}", data=_data(post))


def moderator_edit_recipients(event):
    """The author of a post a moderator edited learns it, with the reason (never the old text)."""
    post = Post.objects.select_related("topic__forum").filter(pk=event.target_id).first()
    if post is None or post.author_id == event.actor_id:
        return None
    return Recipients(kinds={post.author_id: MODERATOR_EDITED.name}, group_key=f"edit:{post.pk}:{event.pk}",
                      data={"title": post.topic.title, "url": f"/forums/p/{post.pk}/",
                            "reason": (event.payload or {}).get("reason", "")})


# Also serves "content.published": a post held for review (new member, watched word, spam false
# positive) is announced when a CM publishes it, with its original mentions.
notifications.register_source(CONTENT_CREATED, events.POST_KIND, new_post_recipients)
notifications.register_source(events.REACTION, events.POST_KIND, reaction_recipients)
notifications.register_source(events.MODERATOR_EDIT, events.POST_KIND, moderator_edit_recipients)
