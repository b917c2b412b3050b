"""The wiki's notification kinds and who its events concern (registered at startup), and the
moderation audit log's names for the wiki's actions.

- A saved revision ("wiki.revision" on `content.created`, which also serves `content.published`):
  the members watching the page, or a page above it with its sub-pages, who may read it — never
  the author; the members it mentions (the spine's MENTION kind, stronger than watching).
- A page moved, protected, deleted or restored (`wiki.page_changed`): the same watchers, who may
  read the page as it now stands (a page closed to them is not named to them).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from community import notifications
from community.events import CONTENT_CREATED
from community.models import Channel, User, Visibility
from community.notifications import MENTION, Kind, Line, Recipients, format_line
from community.permissions import readers_filter
from moderation.models import register_audit_actions

from .events import PAGE_CHANGED, REVISION_KIND
from .models import Page, Revision
from .services.watching import watcher_ids

_CREATED_LINE = _("<strong>%(actor)s</strong> created the wiki page “%(title)s”")
_CREATED_SUBJECT = _("%(actor)s created the wiki page “%(title)s”")
_EDIT_LINE = _("<strong>%(actor)s</strong> edited the wiki page “%(title)s”")
_EDIT_SUBJECT = _("%(actor)s edited the wiki page “%(title)s”")
_EDIT_OTHERS = ngettext_lazy("<strong>%(actor)s</strong> and %(count)d other edited the wiki page “%(title)s”",
                             "<strong>%(actor)s</strong> and %(count)d others edited the wiki page “%(title)s”",
                             "count")


def _edit_line(line: Line) -> str:
    if line.others > 0:
        return format_line(_EDIT_OTHERS, line, count=line.others)
    return format_line(_CREATED_LINE if line.data.get("created") else _EDIT_LINE, line)


def _edit_subject(line: Line) -> str:
    template = _CREATED_SUBJECT if line.data.get("created") and line.others == 0 else _EDIT_SUBJECT
    return str(template) % {"actor": line.actor, "title": line.title}


WIKI_EDIT = notifications.register_kind(Kind(
    "wiki_edit", _("A change to a wiki page I watch"), Channel.DAILY, priority=20, order=50,
    description=_("Pages you edited are watched; watch others from their page, with or without their sub-pages."),
    line_fn=_edit_line, subject_fn=_edit_subject))

_PAGE_LINES = {
    "move": _("<strong>%(actor)s</strong> moved the wiki page “%(title)s” to %(path)s"),
    "protect": _("<strong>%(actor)s</strong> changed who may read or edit the wiki page “%(title)s”"),
    "delete": _("<strong>%(actor)s</strong> deleted the wiki page “%(title)s”"),
    "undelete": _("<strong>%(actor)s</strong> restored the wiki page “%(title)s”"),
}
_PAGE_SUBJECTS = {
    "move": _("%(actor)s moved the wiki page “%(title)s”"),
    "protect": _("%(actor)s changed the protection of the wiki page “%(title)s”"),
    "delete": _("%(actor)s deleted the wiki page “%(title)s”"),
    "undelete": _("%(actor)s restored the wiki page “%(title)s”"),
}


def _page_line(line: Line) -> str:
    action = line.data.get("action")
    template = _PAGE_LINES.get(action, _PAGE_LINES["protect"])
    return format_line(template, line, path=f"/wiki/{line.data.get('path', '')}")


def _page_subject(line: Line) -> str:
    template = _PAGE_SUBJECTS.get(line.data.get("action"), _PAGE_SUBJECTS["protect"])
    return str(template) % {"actor": line.actor, "title": line.title}


WIKI_PAGE_CHANGED = notifications.register_kind(Kind(
    "wiki_page", _("A wiki page I watch moved, was protected, deleted or restored"), Channel.DAILY, priority=15,
    order=51, line_fn=_page_line, subject_fn=_page_subject))

register_audit_actions({
    "wiki_protect": _("Change a wiki page's protection"),
    "wiki_move": _("Move or rename a wiki page"),
    "wiki_delete": _("Delete a wiki page"),
    "wiki_undelete": _("Restore a wiki page"),
})


def diff_url(revision: Revision) -> str:
    """Where a notification about `revision` leads: everything since the revision before it, up to
    the page's current revision (no `to`: the diff runs to the current one). A group of edits keeps
    its oldest notification's data, so the member sees every change they have not seen yet. A
    page's first revision: the page itself."""
    path = revision.page.path
    if revision.number <= 1:
        return revision.page.get_absolute_url()
    return f"{reverse('wiki:diff', args=[path])}?from={revision.number - 1}"


def new_revision_recipients(event):
    revision = Revision.objects.select_related("page").filter(pk=event.target_id).first()
    if revision is None or revision.status != Visibility.PUBLISHED:
        return None  # held: told when a CM publishes it (content.published)
    page = revision.page
    if page.is_deleted:
        return None
    told = dict.fromkeys(watcher_ids(page), WIKI_EDIT.name)
    mentioned = {pk for pk in (event.payload or {}).get("mentions", []) if isinstance(pk, int)}
    if mentioned:
        readers = User.objects.filter(readers_filter(page.read_level), pk__in=mentioned)
        told.update(dict.fromkeys(readers.values_list("pk", flat=True), MENTION.name))
    told.pop(revision.author_id, None)
    return Recipients(kinds=told, group_key=f"wiki:{page.pk}", data={
        "title": page.title, "url": diff_url(revision), "created": revision.number <= 1,
        "excerpt": revision.summary[:160]})


def page_changed_recipients(event):
    page = Page.objects.filter(pk=event.target_id).first()
    if page is None:
        return None
    payload = event.payload or {}
    told = dict.fromkeys(watcher_ids(page), WIKI_PAGE_CHANGED.name)
    told.pop(event.actor_id, None)
    # A deleted page is a 404 to its watchers: the news leads to the wiki's home page.
    url = reverse("wiki:index") if page.is_deleted else page.get_absolute_url()
    return Recipients(kinds=told, group_key=f"wiki-page:{page.pk}:{event.pk}", data={
        "title": payload.get("old_title") or payload.get("title") or page.title, "url": url, "action": payload.get("action", ""), "path": page.path,
        "excerpt": payload.get("reason", "")})


notifications.register_source(CONTENT_CREATED, REVISION_KIND, new_revision_recipients)
notifications.register_source(PAGE_CHANGED, None, page_changed_recipients)
