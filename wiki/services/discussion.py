"""A page's discussion: a forum topic about it, created on first use (the wiki uses the forums'
services; the forums never import the wiki).

The forum is named by its slug in the setting `WIKI_DISCUSSION_FORUM` (default "wiki"); when no
such forum exists yet, the first discussion creates it (a public top-level forum, through the
forums' trusted tree service). The topic names the page, so a page some of the forum's readers
may not read is not discussed there (`check_can_discuss_page`). Two first clicks at once make
one topic: the page row is locked while the topic is created.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from community.permissions.wiki import check_can_discuss_page
from community.writing import TITLE_MAX
from forums.models import Forum, Topic
from forums.services.posting import DuplicateTopic, create_topic
from forums.services.tree import save_forum

from ..models import Page

DEFAULT_FORUM_SLUG = "wiki"


def forum_slug() -> str:
    return getattr(settings, "WIKI_DISCUSSION_FORUM", DEFAULT_FORUM_SLUG) or DEFAULT_FORUM_SLUG


def discussion_forum() -> Forum | None:
    return Forum.objects.filter(slug=forum_slug(), is_category=False).order_by("pk").first()


def _forum_or_create() -> Forum:
    forum = discussion_forum()
    if forum is None:
        forum = save_forum(forum=Forum(name=_("Wiki discussions"), slug=forum_slug(),
                                       description=_("One topic per wiki page, to talk about it.")))
    return forum


def topic_title(page: Page) -> str:
    title = _("Wiki: %(title)s") % {"title": page.title}
    return title if len(title) <= TITLE_MAX else title[:TITLE_MAX - 1] + "…"


def check_can_start(actor, page: Page) -> None:
    forum = discussion_forum()
    check_can_discuss_page(actor, page_read_level=page.read_level, deleted=page.is_deleted,
                           forum_read_level=forum.read_level if forum is not None else 0)


def start_discussion(*, actor, page: Page) -> Topic:
    """The page's topic: the existing one, or a new one started by `actor`."""
    check_can_start(actor, page)
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(pk=page.pk)
        if locked.discussion_topic_id is not None:
            topic = Topic.objects.filter(pk=locked.discussion_topic_id).first()
            if topic is not None:
                page.discussion_topic = topic
                return topic
        forum = _forum_or_create()
        check_can_discuss_page(actor, page_read_level=locked.read_level, deleted=locked.is_deleted,
                               forum_read_level=forum.read_level)
        url = settings.SITE_URL.rstrip("/") + locked.get_absolute_url()
        body = _("This topic is for talking about the wiki page “%(title)s”: %(url)s") % {
            "title": locked.title, "url": url}
        try:
            topic = create_topic(actor=actor, forum=forum, title=topic_title(locked), body=body)
        except DuplicateTopic as exc:
            topic = exc.topic
        Page.objects.filter(pk=locked.pk).update(discussion_topic=topic)
        page.discussion_topic = topic
    return topic
