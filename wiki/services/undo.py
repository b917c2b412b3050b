"""Revisions the wiki writes on a moderator's decision, so that no edit is lost and no spam stays.

- `merge_released(revision)`: a held edit (spam check, a watched word "require approval") is approved
  in the review queue after others saved from the published head. The page would keep the newer text
  and the approved edit would never reach it; instead its change is merged into the current text
  (three-way: base = the revision it was computed from, `Revision.base_number`; mine = its text;
  theirs = the current text) and saved as a new revision by its author, summary "Approved edit merged
  (revision n)". When the edits overlap, the current text stays and the page's log says "Approved
  edit not merged: re-apply it by hand" (detail: the revision's number): a CM re-applies it from the
  revision's diff. The approved revision itself is in the history either way.
- `undo_edits(page, revisions, actor)`: "remove all content" of a member. Their revisions are marked
  removed, and the page shows its newest visible revision — but later revisions by others still
  carry what the member wrote. So the member's removed edits older than that are undone on the
  current text (three-way, newest first: base = the removed revision's text, mine = the text it was
  computed from, theirs = the text so far) and one new revision is saved by the moderator. If an
  undo overlaps a later edit, the page goes back to its newest visible revision older than the
  member's first edit there (empty text if the member created the page); the later good edits stay
  in the history.

Both run in the moderation's transaction, the page row locked (`editing.refresh_current` locks it).
Summaries are in the site's language (`editing.site_language_summary`).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_noop

from community.models import Visibility

from .. import merging, rendering
from ..models import Page, PageLog, Revision
from .editing import _insert_revision, site_language_summary

APPROVED_MERGED = gettext_noop("Approved edit merged (revision %(number)s)")
EDITS_UNDONE = gettext_noop("Edits by %(member)s undone (content removed by moderation)")
EDITS_REVERTED = gettext_noop("Reverted to revision %(number)s: edits by %(member)s removed by moderation")
EDITS_BLANKED = gettext_noop("Text by %(member)s removed by moderation")


def base_text(revision: Revision) -> tuple[str, str]:
    """(body, title) of the text `revision` was computed from: its recorded base, or (older rows) the
    revision just before it; ("", "") for a page's first revision."""
    rows = Revision.objects.filter(page_id=revision.page_id)
    if revision.base_number is not None:
        base = rows.filter(number=revision.base_number).only("body", "title").first()
    else:
        base = rows.filter(number__lt=revision.number).only("body", "title").order_by("-number").first()
    return (base.body, base.title) if base is not None else ("", revision.title)


def _save(page: Page, *, author, title: str, body: str, summary: str, old_body: str,
          reverts: Revision | None = None, announce: bool = True) -> Revision:
    rendered = rendering.render(body, base_path=page.path, read_level=page.read_level)
    return _insert_revision(page=page, actor=author, title=title, body=body, rendered=rendered, summary=summary,
                            minor=False, old_body=old_body, status=Visibility.PUBLISHED, now=timezone.now(),
                            reverts=reverts, base_number=page.current_revision.number if page.current_revision_id
                            else None, system=True, announce=announce)


def merge_released(revision: Revision, page: Page) -> Revision | None:
    """`revision` was just published and `page` (locked, refreshed) shows a newer one: merge its change
    into the current text. Returns the new revision, or None (nothing to add, or a conflict, logged)."""
    current = page.current_revision
    if current is None or current.pk == revision.pk or current.number < revision.number:
        return None
    base_body, base_title = base_text(revision)
    body = merging.merge3(base_body, revision.body, current.body)
    title = merging.merge_title(base_title, revision.title, current.title)
    if body is None:
        PageLog.objects.create(page=page, actor=None, action=PageLog.Action.UNMERGED, created_at=timezone.now(),
                               detail={"revision": revision.number, "current": current.number,
                                       "author": revision.author.username})
        return None
    title = title if title is not None else current.title  # both renamed differently: the current title
    if body == current.body and title == current.title:
        return None  # its change is already there (a revision hidden, then restored)
    return _save(page, author=revision.author, title=title, body=body, old_body=current.body, announce=False,
                 summary=site_language_summary(APPROVED_MERGED, number=revision.number))


def undo_edits(page: Page, removed: list[Revision], member, *, actor) -> Revision | None:
    """`removed`: `member`'s revisions of `page` just marked removed; `page` locked, showing its newest
    visible revision. Undo those older than it on its text; one new revision by `actor` (the moderator;
    the member themselves when moderation did not say who). Returns it, or None (nothing to undo)."""
    current = page.current_revision
    if current is None:
        return None
    older = sorted((r for r in removed if r.number < current.number), key=lambda r: -r.number)
    if not older:
        return None
    author = actor if actor is not None else member
    body, title, reverts = current.body, current.title, None
    summary = site_language_summary(EDITS_UNDONE, member=member.username)
    for revision in older:
        before_body, before_title = base_text(revision)
        merged = merging.merge3(revision.body, before_body, body)
        if merged is None:
            body, title, reverts, summary = _before_first_edit(page, member)
            break
        body = merged
        title = merging.merge_title(revision.title, before_title, title) or title
    if body == current.body and title == current.title:
        return None
    return _save(page, author=author, title=title, body=body, old_body=current.body, summary=summary,
                 reverts=reverts, announce=actor is not None)  # never announced as the (sanctioned) member


def _before_first_edit(page: Page, member) -> tuple[str, str, Revision | None, str]:
    """The text of the page's newest visible revision older than `member`'s first edit there (none:
    the member created it, so empty text), with the summary saying so."""
    first = page.revisions.filter(author=member).order_by("number").values_list("number", flat=True).first()
    target = (page.revisions.filter(number__lt=first, status=Visibility.PUBLISHED).exclude(author=member)
              .order_by("-number").first())
    if target is None:
        return "", page.current_revision.title, None, site_language_summary(EDITS_BLANKED, member=member.username)
    return target.body, target.title, target, site_language_summary(EDITS_REVERTED, number=target.number,
                                                                    member=member.username)
