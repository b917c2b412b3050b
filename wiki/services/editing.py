"""Creating pages and saving revisions: the wiki's write path.

`save_revision` carries the revision number the editor started from (`base`). If someone saved in
between, the pages area merges the two edits (three-way) or raises `EditConflict` with everything
the editor needs to save again deliberately — no edit is ever lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import content, writing
from community.models import SpamStatus, Visibility
from community.permissions import check_can_create_page, check_can_edit_page, edit_needs_patrol

from .. import paths, rendering
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


def prepare_body(body: str) -> str:
    try:
        return writing.clean_body(body or "", max_bytes=BODY_MAX_BYTES)
    except ValidationError:
        raise ValidationError(_("A wiki page may hold at most %(size)s KB of text; this one is longer.")
                              % {"size": BODY_MAX_BYTES // 1024}) from None


def _page_facts(page: Page) -> dict:
    return {"read_level_needed": page.read_level, "deleted": page.is_deleted}


def create_page(*, actor, parent: Page | None, title: str, body: str, summary: str = "", slug: str | None = None,
                minor: bool = False) -> Revision:
    """A new page under `parent` (None: the root, which must not exist yet). Returns its first revision."""
    title = writing.clean_title(title, empty_message=_("Give the page a title."))
    if parent is not None:
        check_can_create_page(actor, parent_read_level=parent.read_level, parent_edit_level=parent.edit_level,
                              parent_deleted=parent.is_deleted)
        path = paths.join(parent.path, slug if slug else paths.slug_for(title))
    else:
        check_can_edit_page(actor, read_level_needed=0, edit_level=3, deleted=False)
        path = ""
    if not paths.is_valid_path(path):
        raise ValidationError(_("That address is not a valid wiki path."))
    body = prepare_body(body)
    rendered = rendering.render(body, base_path=path)
    status = content.initial_status(REVISION_KIND, author=actor, parts=[title, body])
    now = timezone.now()
    try:
        with transaction.atomic():
            if Page.objects.filter(path=path).exists() or _redirect_exists(path):
                raise PathTaken(_("A page already exists at /wiki/%(path)s: choose another title or address.")
                                % {"path": path})
            page = Page.objects.create(parent=parent, slug=path.rstrip("/").rpartition("/")[2], path=path,
                                       title=title, created_at=now, updated_at=now,
                                       read_level=parent.read_level if parent else 0)
            revision = _insert_revision(page=page, actor=actor, title=title, body=body, rendered=rendered,
                                        summary=clean_summary(summary) or _("New page"), minor=minor,
                                        old_body="", status=status, now=now)
            Link.objects.filter(target_path=path, target__isnull=True).update(target=page)
    except IntegrityError:
        raise PathTaken(_("A page already exists at /wiki/%(path)s: choose another title or address.")
                        % {"path": path}) from None
    return revision


def _redirect_exists(path: str) -> bool:
    from ..models import Redirect

    return Redirect.objects.filter(old_path=path).exists()


def save_revision(*, actor, page: Page, body: str, base: int, title: str | None = None, summary: str = "",
                  minor: bool = False, reverts: Revision | None = None) -> Revision:
    """Save `body` as the page's next revision. `base`: the revision number the editor started from.
    Raises NoChange (nothing differs), EditConflict (overlapping edits), PermissionDenied, ValidationError."""
    check_can_edit_page(actor, edit_level=page.edit_level, **_page_facts(page))
    title = writing.clean_title(title if title is not None else page.title,
                                empty_message=_("Give the page a title."))
    body = prepare_body(body)
    rendered = rendering.render(body, base_path=page.path)
    now = timezone.now()
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(pk=page.pk)
        current = Revision.objects.filter(pk=locked.current_revision_id).first()
        current_body = current.body if current else ""
        if locked.last_number != base:
            body = merge_or_conflict(page=locked, base=base, mine=body, title=title, summary=summary)
            rendered = rendering.render(body, base_path=page.path)
        if current is not None and body == current_body and title == current.title:
            raise NoChange(_("Nothing changed: no new revision was saved."))
        status = content.initial_status(REVISION_KIND, author=actor,
                                        parts=[title if title != locked.title else "",
                                               added_text(current_body, body)], editing=True)
        revision = _insert_revision(page=locked, actor=actor, title=title, body=body, rendered=rendered,
                                    summary=clean_summary(summary), minor=minor, old_body=current_body,
                                    status=status, now=now, reverts=reverts)
    page.refresh_from_db()
    return revision


def merge_or_conflict(*, page: Page, base: int, mine: str, title: str, summary: str) -> str:
    """The editor started from revision `base` and someone saved since: the merged text, or EditConflict.
    (The pages area implements the three-way merge; until then every such save is a conflict.)"""
    current = Revision.objects.get(pk=page.current_revision_id)
    raise EditConflict(page=page, base=base, current=current, mine=mine, title=title, summary=summary)


def _insert_revision(*, page: Page, actor, title: str, body: str, rendered, summary: str, minor: bool,
                     old_body: str, status: str, now, reverts: Revision | None = None) -> Revision:
    """In the caller's transaction, `page` locked: the revision row, the page's counters, and (if the
    revision shows at once) the page's current text and links; the spine is told; the editor watches."""
    number = page.last_number + 1
    revision = Revision.objects.create(
        page=page, number=number, author=actor, created_at=now, title=title, body=body, body_html=rendered.html,
        toc=rendered.toc, summary=summary, minor=minor, size=len(body), size_delta=len(body) - len(old_body),
        added_text=added_text(old_body, body), reverts=reverts, patrolled=not edit_needs_patrol(actor),
        status=status, spam_status=SpamStatus.PENDING, fingerprint=writing.fingerprint(actor.pk, body),
    )
    page.last_number = number
    page.revision_count += 1
    fields = ["last_number", "revision_count"]
    if status == Visibility.PUBLISHED:
        _make_current(page, revision, rendered.links, now=now)
        fields += ["current_revision", "title", "body_html", "toc", "updated_at"]
    Page.objects.filter(pk=page.pk).update(**{name: getattr(page, name) for name in fields})
    content.content_created(revision, actor=actor, payload={
        "page": page.pk, "number": number, "minor": minor,
        "mentions": writing.mentioned_ids(rendered_mentions(body), exclude_id=actor.pk),
    })
    Watch.objects.get_or_create(user=actor, page=page)
    return revision


def rendered_mentions(body: str) -> list[str]:
    from community import markup

    return list(markup.render(body).mentions)


def _make_current(page: Page, revision: Revision, links: list[str], *, now) -> None:
    page.current_revision = revision
    page.title = revision.title
    page.body_html = revision.body_html
    page.toc = revision.toc
    page.updated_at = now
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
    if newest is None or newest.pk == page.current_revision_id:
        return
    rendered = rendering.render(newest.body, base_path=page.path)
    _make_current(page, newest, rendered.links, now=timezone.now())
    Page.objects.filter(pk=page.pk).update(current_revision=newest, title=newest.title, body_html=newest.body_html,
                                           toc=newest.toc, updated_at=page.updated_at)
