"""What the wiki brings to the CM workspace's featuring registry (registered at import, from the wiki's
ready()): a wiki page can be featured on the home page.

Only pages the viewer may read are resolved, and only while they show text (not deleted, with a
visible current revision): a page protected from reading, deleted, or left empty by moderation is
simply missing from the answer."""

import re

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from community import featuring, markup
from community.permissions import readable_pages_filter

from .models import Page, Redirect

EXCERPT_LENGTH = 200  # characters
WIKI_PREFIX = "/wiki/"
_HEADING_END = re.compile(r"(<h[1-6][^>]*>)(.*?)(</h[1-6]>)", re.S | re.I)
_ENDS_A_SENTENCE = (".", "!", "?", ":", ";", "…")


def _ended(match) -> str:
    opening, inner, closing = match.groups()
    if strip_tags(inner).strip().endswith(_ENDS_A_SENTENCE):
        return match.group(0)
    return f"{opening}{inner}.{closing}"


def excerpt(html: str, length: int = EXCERPT_LENGTH) -> str:
    """A page's rendered HTML as a short plain text (not escaped: templates escape it). Blocks are
    kept apart (community.markup's excerpt) and a heading ends like a sentence, so that "Your
    profile" and the paragraph under it do not run together."""
    return markup.excerpt(_HEADING_END.sub(_ended, html or ""), length)


def _showing(viewer) -> Q:
    return readable_pages_filter(viewer) & Q(is_deleted=False, current_revision__isnull=False)


def resolve_pages(ids, viewer):
    """Readable pages that show text, as cards — one query."""
    pages = (Page.objects.filter(_showing(viewer), pk__in=ids).select_related("current_revision__author")
             .only("pk", "title", "path", "body_html", "current_revision__id", "current_revision__author__id",
                   "current_revision__author__username", "current_revision__author__display_name"))
    cards = {}
    for page in pages:
        author = page.current_revision.author
        cards[page.pk] = featuring.Card(
            title=page.title, url=page.get_absolute_url(), kind_label=str(_("Wiki page")),
            excerpt=excerpt(page.body_html),
            author=author.name, author_url=author.get_absolute_url())
    return cards


def lookup_page(text):
    """A page's id from its address (/wiki/guides/x/, any of its tabs, an old path that redirects) or
    its bare id."""
    found = featuring.bare_id(text)
    if found is not None:
        return found
    match = featuring.resolve_path(text)
    if match is None or match.namespace != "wiki" or ("path" not in match.kwargs and match.url_name != "index"):
        return None
    path = match.kwargs.get("path", "")
    page_id = Page.objects.filter(path=path).values_list("pk", flat=True).first()
    if page_id is None:
        page_id = Redirect.objects.filter(old_path=path).values_list("page_id", flat=True).first()
    return page_id


def latest_pages(limit):
    """The most recently updated pages every visitor may read."""
    return list(Page.objects.filter(_showing(AnonymousUser())).order_by("-updated_at", "-pk")
                .values_list("pk", flat=True)[:limit])


featuring.register("wiki.page", label=_("Wiki page"), group=featuring.PIECE,
                   resolve=resolve_pages, lookup=lookup_page, latest=latest_pages)
