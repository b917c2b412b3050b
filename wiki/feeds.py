"""The Atom feed of recent changes (same filters as the page). An entry links to the edit's diff.

What it lists is what the one who fetches it may read: a feed reader fetches anonymously, so it
gets what a visitor may read; a member's browser (session) gets that member's rule — never more
than the recent changes page shows them. Entries quote no page text (title, summary, size change).
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community import content

from . import changes

FEED_SIZE = 50


class RecentChangesFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Recent changes to the wiki")
    subtitle = gettext_lazy("Every edit of the wiki's pages")

    # Links are made absolute with the request's own host (Django's default is the Sites framework's
    # domain, which may be a development address): an absolute URL is left as it is by the feed.

    def get_object(self, request, *args, **kwargs):
        return {"actor": request.user, "filters": changes.Filters.from_query(request.GET), "request": request}

    def link(self, obj):
        query = obj["filters"].as_query()
        return obj["request"].build_absolute_uri(reverse("wiki:recent") + (f"?{query}" if query else ""))

    def feed_url(self, obj):
        return obj["request"].build_absolute_uri()

    def items(self, obj):
        request = obj["request"]
        items = list(changes.recent_changes(obj["actor"], obj["filters"])[:FEED_SIZE])
        for item in items:
            item.feed_link = request.build_absolute_uri(reverse("wiki:diff", args=[item.page.path]) + f"?to={item.number}")
        return items

    def item_title(self, item):
        return content.display(item.page.title, is_html=False)

    def item_description(self, item):
        delta = item.size_delta
        size = f"+{delta}" if delta > 0 else f"−{-delta}" if delta < 0 else "0"
        summary = content.display(item.summary, is_html=False) if item.summary else _("(no summary)")
        # Atom's summary is HTML (type="html"): member text is escaped.
        return escape(_("Revision %(number)s by %(author)s (%(size)s characters): %(summary)s") % {
            "number": item.number, "author": item.author.name, "size": size, "summary": summary})

    def item_author_name(self, item):
        return item.author.name

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at

    def item_link(self, item):
        return item.feed_link
