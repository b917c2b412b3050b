"""The history list's rows, built in Python: the hottest list of the wiki (50 rows a page, the
benchmark's `history`) cost ~0.6 ms a row through the template language ({% url %}, translations and
filters resolved per row); built here with the translations fetched once a request and the URLs
concatenated from the page's own, a row costs a tenth of that (docs/wiki/history.md, bench/README.md).
Everything member-written is escaped by format_html, and titles/summaries go through the display
filters (censored watched words) as the `shown` filter does."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from community import content
from community.models import Visibility


class RowText:
    """The row's words, translated once per request."""

    def __init__(self):
        self.compare_from = gettext("Compare from revision %(number)s")
        self.compare_to = gettext("Compare to revision %(number)s")
        self.minor_title = gettext("Minor edit")
        self.minor = pgettext("minor edit", "m")
        self.status = {Visibility.HIDDEN: gettext("Hidden by the moderators"),
                       Visibility.REMOVED: gettext("Removed by the moderators"),
                       Visibility.PENDING: gettext("Awaiting review")}
        self.unpatrolled = gettext("unpatrolled")
        self.current = gettext("current")
        self.diff = gettext("diff")
        self.revert = gettext("revert to this")
        self.report = gettext("report")


def _profile_url_maker():
    marker = "__tribune_username__"
    pattern = reverse("community:profile", kwargs={"username": marker})
    return lambda username: pattern.replace(marker, quote(username, safe=""))


def history_rows(revisions, *, page, compare_from, compare_to, may_edit: bool, is_wiki_manager: bool,
                 viewer=None) -> list:
    """The HTML of each row (row_facts must have run on `revisions`). `viewer` given and logged in: a
    "report" link on the rows they may read and did not write."""
    text = RowText()
    reporter_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    report_base = reverse("moderation:report", kwargs={"kind": "wiki.revision", "object_id": 0})[:-2]
    profile_url = _profile_url_maker()
    base = page.get_absolute_url()
    current_id = page.current_revision_id
    rows = []
    for revision in revisions:
        number = revision.number
        readable = revision.readable
        when = timezone.localtime(revision.created_at)
        cells = []
        if readable:
            cells.append(format_html(
                '<td><input type="radio" name="from" value="{}" aria-label="{}"{}></td>'
                '<td><input type="radio" name="to" value="{}" aria-label="{}"{}></td>'
                '<td><a href="{}_rev/{}/">{}</a>',
                number, text.compare_from % {"number": number}, mark_safe(" checked") if number == compare_from else "",
                number, text.compare_to % {"number": number}, mark_safe(" checked") if number == compare_to else "",
                base, number, number))
        else:
            cells.append(format_html("<td></td><td></td><td>{}", number))
        if revision.minor:
            cells.append(format_html(' <abbr class="wiki-minor" title="{}">{}</abbr>', text.minor_title, text.minor))
        author = revision.author
        cells.append(format_html(
            '</td><td><time datetime="{}">{}</time></td><td><a href="{}">{}</a></td>'
            '<td>{} <span class="{}">({})</span></td><td>',
            when.isoformat(), formats.date_format(when, "DATETIME_FORMAT"), profile_url(author.username),
            content.display(author.name, is_html=False), revision.size, revision.delta_class, revision.delta_text))
        if readable and revision.summary:
            cells.append(format_html("{}", content.display(revision.summary, is_html=False)))
        if revision.status in text.status:
            cells.append(format_html(' <span class="badge private">{}</span>', text.status[revision.status]))
        if is_wiki_manager and not revision.patrolled:
            cells.append(format_html(' <span class="badge wiki-unpatrolled">{}</span>', text.unpatrolled))
        if current_id == revision.pk:
            cells.append(format_html(' <span class="badge">{}</span>', text.current))
        cells.append(mark_safe('</td><td class="actions">'))
        if readable:
            if number > 1:
                cells.append(format_html('<a href="{}_diff/?to={}">{}</a>', base, number, text.diff))
            if may_edit and revision.public and current_id != revision.pk:
                cells.append(format_html(' · <a href="{}_revert/{}/">{}</a>', base, number, text.revert))
            if reporter_id is not None and revision.author_id != reporter_id:
                cells.append(format_html(' · <a href="{}{}/" rel="nofollow">{}</a>', report_base, revision.pk,
                                         text.report))
        cells.append(mark_safe("</td>"))
        row_class = "" if revision.public else ' class="not-public"'
        rows.append(mark_safe(f"<tr{row_class}>{''.join(cells)}</tr>"))
    return rows
