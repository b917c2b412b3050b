"""A space's RSS feed (`<space>/feed/`); a podcast space's is a podcast feed: every episode's audio
file as an enclosure (its length and type), and the iTunes tags podcast apps read (author, image,
category, explicit; per episode: duration, episode number)."""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from wagtail.documents import get_document_model
from wagtail.rich_text import expand_db_html

FEED_ITEMS = 30
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"


class PodcastFeed(Rss201rev2Feed):
    """RSS 2.0 with the iTunes namespace (Apple's podcast specification)."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:itunes": ITUNES}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        handler.addQuickElement("itunes:author", self.feed["itunes_author"])
        if self.feed.get("itunes_image"):
            handler.addQuickElement("itunes:image", None, {"href": self.feed["itunes_image"]})
        handler.addQuickElement("itunes:category", None, {"text": self.feed["itunes_category"]})
        handler.addQuickElement("itunes:explicit", "false")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("itunes_duration"):
            handler.addQuickElement("itunes:duration", item["itunes_duration"])
        if item.get("itunes_episode"):
            handler.addQuickElement("itunes:episode", str(item["itunes_episode"]))


def _first_audio(post) -> dict | None:
    """The raw value of a post's first audio block (no query: read from the stream's JSON)."""
    for block in post.body.raw_data:
        if block.get("type") == "audio" and isinstance(block.get("value"), dict):
            return block["value"]
    return None


def _length(document) -> int:
    """The file's size in bytes, as podcast apps need it: Wagtail records it at upload; a document
    made otherwise (a seed, a script) is measured on its storage."""
    if document.file_size:
        return document.file_size
    try:
        return document.file.size
    except (OSError, ValueError):
        return 0


def space_feed(request, space, posts, *, podcast: bool) -> HttpResponse:
    """The feed of `space` with `posts` (its newest live ones, newest first): a podcast feed when
    `podcast`. A fixed number of queries whatever the number of posts."""
    posts = list(posts[:FEED_ITEMS])
    audio = {post.pk: _first_audio(post) for post in posts} if podcast else {}
    documents = get_document_model().objects.in_bulk(
        [value["file"] for value in audio.values() if value and isinstance(value.get("file"), int)])
    link = request.build_absolute_uri(space.url)
    options = {"title": space.title, "link": link, "description": space.tagline or space.title,
               "language": space.space_owner.language or settings.LANGUAGE_CODE,
               "feed_url": request.build_absolute_uri(request.path)}
    if podcast:
        banner = space.banner.get_rendition("fill-1400x1400").url if space.banner else ""
        options.update(itunes_author=space.space_owner.name, itunes_category="Society & Culture",
                       itunes_image=request.build_absolute_uri(banner) if banner else "")
    feed = (PodcastFeed if podcast else Rss201rev2Feed)(**options)
    for post in posts:
        item = {"title": post.title, "link": request.build_absolute_uri(post.url),
                "description": post.excerpt or post.title, "unique_id": request.build_absolute_uri(post.url),
                "pubdate": timezone.make_aware(datetime.combine(post.date, time(12))),
                "author_name": space.space_owner.name}
        value = audio.get(post.pk)
        document = documents.get(value.get("file")) if value else None
        if document is not None:
            item["enclosures"] = [Enclosure(request.build_absolute_uri(document.url), str(_length(document)),
                                            document.content_type)]
            item["itunes_duration"] = value.get("duration") or ""
            item["itunes_episode"] = value.get("episode") or ""
            if value.get("show_notes"):
                item["description"] = expand_db_html(value["show_notes"])
        feed.add_item(**item)
    response = HttpResponse(content_type=f"{feed.content_type}")
    feed.write(response, "utf-8")
    return response
