"""Atom feeds: the latest topics, and the latest topics of one forum (readable ones only)."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from community import content
from community.permissions import may_read_text

from . import selectors


class LatestTopicsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Latest topics")
    subtitle = _("New topics in the forums")
    link = "/forums/"

    def items(self):
        # Feeds are public documents: what a visitor may read, whoever fetches them.
        return selectors.latest_topics(AnonymousUser())

    def item_title(self, item):
        return content.display(item.title, is_html=False)

    def item_description(self, item):
        # The one text rule, for a visitor: an opening post deleted, hidden or held is not quoted.
        post = item.first_post
        if post is None:
            return ""
        post.topic = item  # loaded with its forum: the rule asks no query
        if not may_read_text(AnonymousUser(), post):
            return ""
        return content.display(post.body_html, is_html=True)

    def item_author_name(self, item):
        return item.author.name

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        # Atom (RFC 4287, 4.1.2) requires <updated> in every entry; Django writes it only from this.
        edited = item.first_post.edited_at if item.first_post else None
        return edited or item.created_at

    def item_link(self, item):
        return item.get_absolute_url()


class ForumTopicsFeed(LatestTopicsFeed):
    def get_object(self, request, forum_id, slug):
        return selectors.forum_for(AnonymousUser(), int(forum_id))

    def title(self, obj):
        return obj.name

    def link(self, obj):
        return obj.get_absolute_url()

    def subtitle(self, obj):
        return obj.description

    def items(self, obj):
        return selectors.forum_topics_feed(AnonymousUser(), obj)
