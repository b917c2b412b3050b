"""A page's discussion: a forum topic about it, started by a member with their own words (the wiki
uses the forums' services; the forums never import the wiki).

The forum is named by its slug in the setting `WIKI_DISCUSSION_FORUM` (default "wiki"); when no
such forum exists yet, the first discussion creates it (a public top-level forum, through the
forums' trusted tree service). The topic names the page, so it lives in a forum no more open than
the page: a page only members (contributors, community managers) may read is discussed in a
"Wiki discussions" forum of that level (slug "wiki-1", "wiki-2", "wiki-3"), created on first use.
When a page's protection changes, or it is deleted (CM-only) or restored, its topic follows
(`follow_page`). Two first clicks at once make one topic: the page row is locked meanwhile.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from community.permissions.wiki import check_can_discuss_page
from community.writing import TITLE_MAX
from forums.models import Forum, Topic
from forums.services.moderating import move_topic
from forums.services.posting import DuplicateTopic, create_topic
from forums.services.tree import save_forum

from ..models import READ_LEVELS, Page

DEFAULT_FORUM_SLUG = "wiki"
CM_LEVEL = 3  # a deleted page's topic: community managers only


def forum_slug() -> str:
    return getattr(settings, "WIKI_DISCUSSION_FORUM", DEFAULT_FORUM_SLUG) or DEFAULT_FORUM_SLUG


def _level_slug(level: int) -> str:
    return forum_slug() if level <= 0 else f"{forum_slug()}-{level}"


def discussion_forum(level: int = 0) -> Forum | None:
    """The discussion forum for pages of read level `level` (level 0: the configured one, whatever
    its own access; above: one of exactly that read level)."""
    forums = Forum.objects.filter(slug=_level_slug(level), is_category=False)
    if level > 0:
        forums = forums.filter(read_level=level)
    return forums.order_by("pk").first()


def _forum_or_create(level: int = 0) -> Forum:
    forum = discussion_forum(level)
    if forum is None:
        name = _("Wiki discussions")
        if level > 0:
            name = _("Wiki discussions (%(who)s)") % {"who": dict(READ_LEVELS)[level]}
        forum = save_forum(forum=Forum(name=name, slug=_level_slug(level), access=level,
                                       description=_("One topic per wiki page, to talk about it.")))
    return forum


def topic_level(page: Page) -> int:
    """The read level a page's topic must not be more open than (a deleted page: CMs only)."""
    return CM_LEVEL if page.is_deleted else page.read_level


def _forum_for_page(page: Page) -> Forum:
    forum = _forum_or_create(0)
    level = topic_level(page)
    return forum if forum.read_level >= level else _forum_or_create(level)


def topic_title(page: Page) -> str:
    title = _("Wiki: %(title)s") % {"title": page.title}
    return title if len(title) <= TITLE_MAX else title[:TITLE_MAX - 1] + "…"


def suggested_body(page: Page) -> str:
    """The first sentence the composer suggests (the member may change it)."""
    return _("I would like to talk about the wiki page “%(title)s”.") % {"title": page.title}


def page_link(page: Page) -> str:
    """A relative Markdown link to the page (no host: the topic works on whatever address the site has)."""
    title = page.title.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"[{title}]({page.get_absolute_url()})"


def check_can_start(actor, page: Page) -> None:
    forum = discussion_forum(0)
    level = topic_level(page)
    forum_level = forum.read_level if forum is not None else 0
    if forum_level < level:  # a forum of the page's level is used (or made) instead
        forum_level = level
    check_can_discuss_page(actor, page_read_level=page.read_level, deleted=page.is_deleted,
                           forum_read_level=forum_level)


def start_discussion(*, actor, page: Page, body: str = "") -> Topic:
    """The page's topic: the existing one, or a new one started by `actor` with `body` (their own
    text; empty: the suggested sentence). A link to the page is added when the text has none."""
    check_can_start(actor, page)
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(pk=page.pk)
        if locked.discussion_topic_id is not None:
            topic = Topic.objects.filter(pk=locked.discussion_topic_id).first()
            if topic is not None:
                page.discussion_topic = topic
                return topic
        forum = _forum_for_page(locked)
        check_can_discuss_page(actor, page_read_level=locked.read_level, deleted=locked.is_deleted,
                               forum_read_level=forum.read_level)
        text = (body or "").strip() or suggested_body(locked)
        if locked.get_absolute_url() not in text:
            text = f"{text}\n\n{page_link(locked)}"
        try:
            topic = create_topic(actor=actor, forum=forum, title=topic_title(locked), body=text)
        except DuplicateTopic as exc:
            topic = exc.topic
        Page.objects.filter(pk=locked.pk).update(discussion_topic=topic)
        page.discussion_topic = topic
    return topic


def follow_page(*, actor, page: Page) -> Topic | None:
    """Move the page's topic (if any) to the forum its page's read level now calls for: up when the
    page closed above the topic's forum, back down when it opened again (only from the wiki's own
    discussion forums: a topic a moderator put elsewhere stays there unless it would leak).
    `actor` is the community manager who changed the page (they moderate every forum)."""
    if not page.discussion_topic_id:
        return None
    topic = Topic.objects.select_related("forum").filter(pk=page.discussion_topic_id).first()
    if topic is None:
        return None
    level = topic_level(page)
    current = topic.forum
    if current.read_level < level:
        target = _forum_or_create(level)
    elif current.read_level > level and current.slug in {_level_slug(n) for n in range(CM_LEVEL + 1)}:
        target = _forum_for_page(page)
        if target.read_level >= current.read_level:
            return topic
    else:
        return topic
    return move_topic(actor=actor, topic=topic, forum=target)


def follow_pages(*, actor, ids) -> None:
    """`follow_page` for the pages `ids` that have a topic (a deleted or restored subtree)."""
    for page in Page.objects.filter(pk__in=list(ids), discussion_topic__isnull=False):
        follow_page(actor=actor, page=page)
