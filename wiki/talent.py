"""What the wiki brings to the CM workspace's talent registry (registered at import, from the wiki's ready()).

Four aggregate queries per window, whatever the number of members: edits per author and week (with
the size they added), pages created, edits someone else reverted (counting against), and each
author's three pages they added most to (a window function). Only published revisions of pages that
are not deleted count; reverted edits count against their author."""

from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Window
from django.db.models.functions import RowNumber, TruncWeek
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from community import talent
from community.models import Visibility

from .models import Revision

for kind in (
    talent.SignalKind("wiki.edits", _("Wiki edits"), ngettext_lazy(
        "%(value)s wiki edit", "%(value)s wiki edits", "value"), weight=1.0, scale=talent.LOG, cap=2000),
    talent.SignalKind("wiki.pages", _("Wiki pages created"), ngettext_lazy(
        "created %(value)s wiki page", "created %(value)s wiki pages", "value"), weight=1.5, scale=talent.LOG,
        cap=200),
    talent.SignalKind("wiki.size_added", _("Text added to the wiki"), ngettext_lazy(
        "added %(value)s character to the wiki", "added %(value)s characters to the wiki", "value"),
        weight=1.0, scale=talent.LOG, cap=1_000_000),
    talent.SignalKind("wiki.reverted", _("Wiki edits reverted"), ngettext_lazy(
        "%(value)s wiki edit reverted by others", "%(value)s wiki edits reverted by others", "value"),
        weight=-2.0, cap=20),
):
    talent.register_signal(kind)
PAGE_PIECE = talent.register_piece_kind("wiki.page", pgettext_lazy("noun", "Wiki page"))


def reverted_later():
    """A later revision of the same page, by someone else, restores a text older than this one."""
    return Exists(Revision.objects.filter(page_id=OuterRef("page_id"), number__gt=OuterRef("number"),
                                          reverts__number__lt=OuterRef("number"))
                  .exclude(author_id=OuterRef("author_id")))


def wiki_signals(window: talent.Window) -> talent.Contributions:
    found = talent.Contributions()
    edits = Revision.objects.filter(created_at__gte=window.since, created_at__lt=window.until,
                                    status=Visibility.PUBLISHED, page__is_deleted=False)
    weekly = (edits.order_by().values("author_id", week=TruncWeek("created_at"))
              .annotate(n=Count("id"), added=Sum("size_delta", filter=Q(size_delta__gt=0))))
    for row in weekly:
        member = found[row["author_id"]]
        member.signal("wiki.edits", row["n"]).signal("wiki.size_added", row["added"] or 0)
        member.active(window.week_of(row["week"]), row["n"]).posts_media(talent.TEXT)
    for row in edits.filter(number=1).order_by().values("author_id").annotate(n=Count("id")):
        found[row["author_id"]].signal("wiki.pages", row["n"])
    for row in (edits.filter(reverted_later()).order_by().values("author_id").annotate(n=Count("id"))):
        found[row["author_id"]].signal("wiki.reverted", row["n"])
    for row in _best_pages(edits):
        found[row["author_id"]].piece(row["page__title"], f"/wiki/{row['page__path']}", row["added"], PAGE_PIECE)
    return found


def _best_pages(edits):
    """Each author's three public pages they added most text to in the window (one query)."""
    per_page = (edits.filter(page__read_level=0).order_by().values("author_id", "page_id", "page__title", "page__path")
                .annotate(added=Sum("size_delta", filter=Q(size_delta__gt=0))).filter(added__gt=0))
    ranked = per_page.annotate(rank=Window(RowNumber(), partition_by=[F("author_id")],
                                           order_by=[F("added").desc(), F("page_id").desc()]))
    return ranked.filter(rank__lte=3)


talent.register_provider("wiki", wiki_signals)
