"""Creating pages and saving revisions: the wiki's write path.

`save_revision` carries the revision number the editor started from (`base`). If someone saved in
between, the pages area merges the two edits (three-way) or raises `EditConflict` with everything
the editor needs to save again deliberately — no edit is ever lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from community import content, writing
from community.models import SpamStatus, Visibility
from community.permissions import check_can_create_page, check_can_edit_page, edit_needs_patrol, may_read_page

from .. import merging, paths, rendering
from ..diffing import added_text
from ..events import REVISION_KIND
from ..models import Link, Page, Revision, Watch

# A wiki page is longer than a post: 256 KB of text (the 100 KB benchmark page fits twice).
BODY_MAX_BYTES = 256 * 1024
SUMMARY_MAX = 300


class NoChange(ValidationError):
    """The save changes nothing: no revision is made."""


class PathTaken(ValidationError):
    """A page (or a redirect) already lives at that path."""


@dataclass
class EditConflict(Exception):
    """Someone saved since `base`, and the two edits overlap: the editor's text comes back."""

    page: Page
    base: int  # the revision the editor started from
    current: Revision  # the revision saved meanwhile
    mine: str  # the editor's text, untouched
    title: str
    summary: str


def clean_summary(summary: str) -> str:
    return writing.strip_text(summary or "")[:SUMMARY_MAX]


def normalize_newlines(text: str) -> str:
    """Browsers send a textarea's lines ended by "\r\n": stored texts use "\n" only, so that an
    unchanged text compares equal (no empty revision) and diffs and merges see the same lines."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def prepare_body(body: str) -> str:
    try:
        return writing.clean_body(normalize_newlines(body), max_bytes=BODY_MAX_BYTES)
    except ValidationError as error:
        if error.code != "too_long":
            raise
        raise ValidationError(_("A wiki page may hold at most %(size)s KB of text; this one is longer.")
                              % {"size": BODY_MAX_BYTES // 1024}, code="too_long") from None


def site_language_summary(message: str, **values) -> str:
    """An automatic summary ("New page", "Approved edit merged (revision 4)"), stored in the site's
    language (settings.LANGUAGE_CODE) whatever the saver's: history shows every reader one language.
    `message` is a msgid marked with gettext_noop (or the same string as a translated literal)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _(message)
    return text % values if values else text


def _page_facts(page: Page) -> dict:
    return {"read_level_needed": page.read_level, "deleted": page.is_deleted}


def create_page(*, actor, parent: Page | None, title: str, body: str, summary: str = "", slug: str | None = None,
                minor: bool = False) -> Revision:
    """A new page under `parent` (None: the root, which must not exist yet). Returns its first revision."""
    title = writing.clean_title(title, empty_message=_("Give the page a title."))
    if parent is not None:
        check_can_create_page(actor, parent_read_level=parent.read_level, parent_edit_level=parent.edit_level,
                              parent_deleted=parent.is_deleted)
        path = paths.join(parent.path, slug if slug else _free_slug(parent, title))
    else:
        check_can_edit_page(actor, read_level_needed=0, edit_level=3, deleted=False)
        path = ""
    if paths.depth(path) > paths.DEPTH_MAX:
        raise ValidationError(_("A wiki page may be at most %(depth)s levels deep: create this one higher up.")
                              % {"depth": paths.DEPTH_MAX})
    if not paths.is_valid_path(path):
        raise ValidationError(_("That address is not a valid wiki path."))
    body = prepare_body(body)
    taken = path_taken(actor, path)
    if taken:
        raise PathTaken(taken)
    rendered = rendering.render(body, base_path=path, read_level=parent.read_level if parent else 0)
    status = content.initial_status(REVISION_KIND, author=actor, parts=[title, body])
    now = timezone.now()
    try:
        with transaction.atomic():
            taken = path_taken(actor, path)
            if taken:
                raise PathTaken(taken)
            page = Page.objects.create(parent=parent, slug=path.rstrip("/").rpartition("/")[2], path=path,
                                       title=title, created_at=now, updated_at=now,
                                       read_level=parent.read_level if parent else 0)
            revision = _insert_revision(page=page, actor=actor, title=title, body=body, rendered=rendered,
                                        summary=clean_summary(summary) or site_language_summary(NEW_PAGE), minor=minor,
                                        old_body="", status=status, now=now)
            Link.objects.filter(target_path=path, target__isnull=True).update(target=page)
    except IntegrityError:
        raise PathTaken(path_taken(actor, path) or _("A page already exists at /wiki/%(path)s: choose another "
                                                     "title or address.") % {"path": path}) from None
    return revision


NEW_PAGE = gettext_noop("New page")


def _free_slug(parent: Page, title: str) -> str:
    """The title's slug; a title with nothing ASCII left in it even after NFKD folding ("שלום", "!!!")
    takes the first free of "page", "page-2", "page-3"… under `parent` (pages and old addresses)."""
    from ..models import Redirect

    slug = paths.slug_for(title)
    if slug != paths.FALLBACK_SLUG or paths.slugify_title(title):
        return slug
    prefix = paths.join(parent.path, paths.FALLBACK_SLUG)[:-1]
    used = set(Page.objects.filter(path__startswith=prefix).values_list("path", flat=True))
    used |= set(Redirect.objects.filter(old_path__startswith=prefix).values_list("old_path", flat=True))
    number = 1
    while True:
        candidate = paths.FALLBACK_SLUG if number == 1 else f"{paths.FALLBACK_SLUG}-{number}"
        if paths.join(parent.path, candidate) not in used:
            return candidate
        number += 1


def path_taken(actor, path: str) -> str:
    """"" when `path` is free, else a message saying which page holds it (named only to who may read it)."""
    from ..models import Redirect

    holder = Page.objects.filter(path=path).only("title", "read_level", "is_deleted").first()
    moved = None if holder else Redirect.objects.filter(old_path=path).select_related("page").first()
    if holder is None and moved is None:
        return ""
    shown = holder or moved.page
    if not may_read_page(actor, read_level_needed=shown.read_level, deleted=shown.is_deleted):
        return _("A page already exists at /wiki/%(path)s: choose another title or address.") % {"path": path}
    if holder is not None:
        return _("The page “%(title)s” already lives at /wiki/%(path)s: choose another title or address.") % {
            "title": holder.title, "path": path}
    return _("/wiki/%(path)s is the old address of “%(title)s”, which moved to /wiki/%(new)s: choose another "
             "title or address.") % {"title": moved.page.title, "path": path, "new": moved.page.path}


MERGE_ATTEMPTS = 5


def head_revision(page: Page) -> Revision | None:
    """The revision an edit starts from: the current one, or (while the page has no published
    revision: its first one is held) the newest one."""
    if page.current_revision_id:
        return Revision.objects.filter(pk=page.current_revision_id).first()
    return page.revisions.order_by("-number").first()


def _fresh_head(page: Page) -> Revision | None:
    """head_revision() of the page as the database has it now, in one query (two while the page has
    no published revision)."""
    current = Page.objects.filter(pk=page.pk).values("current_revision_id")[:1]
    head = Revision.objects.filter(pk=Subquery(current)).first()
    return head if head is not None else page.revisions.order_by("-number").first()


def _same_head(locked: Page, head: Revision | None) -> bool:
    """Under the page's lock: is `head` still the revision an edit starts from? (No query while the
    page has a published revision.)"""
    if locked.current_revision_id:
        return head is not None and head.pk == locked.current_revision_id
    return head_revision(locked) == head


def save_revision(*, actor, page: Page, body: str, base: int, title: str | None = None, summary: str = "",
                  minor: bool = False, reverts: Revision | None = None) -> Revision:
    """Save `body` as the page's next revision. `base`: the revision number the editor started from.
    If someone saved since, the two edits are merged (the revision returned then has `merged_with`,
    the revision merged with) or EditConflict is raised.
    Raises NoChange (nothing differs), EditConflict (overlapping edits), PermissionDenied, ValidationError.

    The merge and the rendering happen before the transaction; under the page's lock the head is
    checked again, and if yet another save came in between, the whole is done again."""
    check_can_edit_page(actor, edit_level=page.edit_level, **_page_facts(page))
    title = writing.clean_title(title if title is not None else page.title,
                                empty_message=_("Give the page a title."))
    body = prepare_body(body)
    for _attempt in range(MERGE_ATTEMPTS):
        head = _fresh_head(page)
        text, new_title, merged_with = body, title, None
        if head is not None and head.number != base:
            text, new_title = merge_or_conflict(page=page, base=base, head=head, mine=body, title=title,
                                                summary=summary)
            merged_with = head
        head_body = head.body if head else ""
        if head is not None and text == head_body and new_title == head.title:
            raise NoChange(_("Nothing changed: no new revision was saved."))
        rendered = rendering.render(text, base_path=page.path, read_level=page.read_level)
        status = content.initial_status(REVISION_KIND, author=actor,
                                        parts=[new_title if head is None or new_title != head.title else "",
                                               added_text(head_body, text)], editing=True)
        now = timezone.now()
        with transaction.atomic():
            locked = Page.objects.select_for_update().get(pk=page.pk)
            if not _same_head(locked, head):
                continue  # someone saved meanwhile: merge again with their text
            revision = _insert_revision(page=locked, actor=actor, title=new_title, body=text, rendered=rendered,
                                        summary=clean_summary(summary), minor=minor, old_body=head_body,
                                        status=status, now=now, reverts=reverts,
                                        base_number=head.number if head is not None else None)
        revision.merged_with = merged_with
        for name in ("last_number", "revision_count", "current_revision_id", "title", "body_html", "toc",
                     "updated_at"):
            setattr(page, name, getattr(locked, name))
        return revision
    raise EditConflict(page=page, base=base, current=head_revision(page), mine=body, title=title, summary=summary)


def merge_or_conflict(*, page: Page, base: int, head: Revision, mine: str, title: str,
                      summary: str) -> tuple[str, str]:
    """The editor started from revision `base` and `head` was saved since: the merged text and title
    (a three-way merge, wiki/merging.py), or EditConflict when the edits overlap."""
    start = page.revisions.filter(number=base).only("body", "title").first() if 0 < base < head.number else None
    if start is not None:
        text = merging.merge3(start.body, mine, head.body)
        new_title = merging.merge_title(start.title, title, head.title)
        if text is not None and new_title is not None:
            return text, new_title
    raise EditConflict(page=page, base=base, current=head, mine=mine, title=title, summary=summary)


def _insert_revision(*, page: Page, actor, title: str, body: str, rendered, summary: str, minor: bool,
                     old_body: str, status: str, now, reverts: Revision | None = None,
                     base_number: int | None = None, system: bool = False, announce: bool = True) -> Revision:
    """In the caller's transaction, `page` locked: the revision row, the page's counters, and (if the
    revision shows at once) the page's current text and links; the spine is told; the editor watches.

    `system`: a revision the wiki writes on a moderator's decision (an approved edit merged, a
    member's edits undone, wiki/services/undo.py): its text was already judged, so it is patrolled
    and not spam-checked again (spam status "ham") and it mentions nobody. `announce=False`: the
    spine's event has no actor (an approved edit merged under its author's name: the author's
    sanctions since do not refuse the moderator's decision; watchers read "Someone edited")."""
    number = page.last_number + 1
    revision = Revision.objects.create(
        page=page, number=number, author=actor, created_at=now, title=title, body=body, body_html=rendered.html,
        toc=rendered.toc, summary=summary, minor=minor, size=len(body), size_delta=len(body) - len(old_body),
        added_text=added_text(old_body, body), reverts=reverts,
        patrolled=system or not edit_needs_patrol(actor), base_number=base_number, status=status,
        spam_status=SpamStatus.HAM if system else SpamStatus.PENDING, fingerprint=writing.fingerprint(actor.pk, body),
    )
    page.last_number = number
    page.revision_count += 1
    fields = ["last_number", "revision_count"]
    if status == Visibility.PUBLISHED:
        # The page's Link rows are the [[links]] of its current HTML: when the new text links to the
        # same paths, they stay as they are (no query).
        unchanged = bool(page.current_revision_id) and rendering.link_paths(page.body_html) == list(
            dict.fromkeys(rendered.links))
        _make_current(page, revision, rendered.links, now=now, links_unchanged=unchanged)
        fields += ["current_revision", "title", "body_html", "toc", "updated_at"]
    Page.objects.filter(pk=page.pk).update(**{name: getattr(page, name) for name in fields})
    content.content_created(revision, actor=actor if announce else None, payload={
        "page": page.pk, "number": number, "minor": minor,
        "mentions": [] if system else writing.mentioned_ids(rendered_mentions(body), exclude_id=actor.pk),
    })
    Watch.objects.bulk_create([Watch(user=actor, page=page)], ignore_conflicts=True)
    return revision


def rendered_mentions(body: str) -> list[str]:
    from community import markup

    return list(markup.render(body).mentions)


def _make_current(page: Page, revision: Revision, links: list[str], *, now, links_unchanged: bool = False) -> None:
    page.current_revision = revision
    page.title = revision.title
    page.body_html = revision.body_html
    page.toc = revision.toc
    page.updated_at = now
    if not links_unchanged:
        set_links(page, links)


def set_links(page: Page, links: list[str]) -> None:
    """The page's outgoing links are those of its current text (red ones have no target)."""
    wanted = list(dict.fromkeys(links))
    existing = dict(Link.objects.filter(source=page).values_list("target_path", "pk"))
    gone = [pk for path, pk in existing.items() if path not in wanted]
    if gone:
        Link.objects.filter(pk__in=gone).delete()
    new = [path for path in wanted if path not in existing]
    if new:
        targets = dict(Page.objects.filter(path__in=new, is_deleted=False).values_list("path", "pk"))
        Link.objects.bulk_create([Link(source=page, target_path=path, target_id=targets.get(path)) for path in new],
                                 ignore_conflicts=True)


def refresh_current(page: Page) -> None:
    """After moderation hid, removed or released a revision: the page shows its newest visible one
    (called in the moderation's transaction by the content kind's hook)."""
    page = Page.objects.select_for_update().get(pk=page.pk)
    newest = page.revisions.filter(status=Visibility.PUBLISHED).order_by("-number").first()
    if newest is None:
        if page.current_revision_id is not None:  # nothing left to show: the page waits, like a new one
            set_links(page, [])
            Page.objects.filter(pk=page.pk).update(current_revision=None, body_html="", toc=[])
        return
    if newest.pk == page.current_revision_id:
        return
    rendered = rendering.render(newest.body, base_path=page.path, read_level=page.read_level)
    _make_current(page, newest, rendered.links, now=timezone.now())
    Page.objects.filter(pk=page.pk).update(current_revision=newest, title=newest.title, body_html=newest.body_html,
                                           toc=newest.toc, updated_at=page.updated_at)
