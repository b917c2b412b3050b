"""Moving and renaming a page (community managers): a new title, parent and/or slug.

The page and every page below it get their new paths in one transaction; each old path keeps a
`Redirect` to its page (`@page_view` follows them), so links and bookmarks keep working. Links
written to the old paths keep their target; red links to the new paths turn blue. A title change
is a new revision (same text, new title) so that the history shows the rename; the move itself
is written to the page's log and the moderation audit log, and the watchers are told.

The tree: the page's `parent` is set and the page saved, which django-mptt turns into its
`move_to` at the place `order_insertion_by` (the title) gives (mptt's own advice: `move_to`
ignores that ordering).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from community import writing
from community.permissions.wiki import check_can_edit_page, check_can_move_page

from .. import paths
from ..models import Link, Page, PageLog, Redirect
from .editing import NoChange, save_revision
from .protection import audit, tell_watchers

PATH_MAX = 1000


def clean_slug(slug: str) -> str:
    slug = (slug or "").strip().strip("/")
    if not paths.is_valid_path(f"{slug}/") or "/" in slug:
        raise ValidationError(_("An address is made of lowercase letters, digits and single hyphens "
                                "(for example “getting-started”)."))
    return slug


def move(*, actor, page: Page, title: str, parent: Page, slug: str = "") -> Page:
    """Give `page` a new title, parent and/or slug (an empty slug: made from the title).
    Raises PermissionDenied (not a CM, the root, a deleted page) or ValidationError (a clear message)."""
    check_can_move_page(actor, is_root=page.parent_id is None, deleted=page.is_deleted)
    title = writing.clean_title(title, empty_message=_("Give the page a title."))
    slug = clean_slug(slug) if (slug or "").strip() else paths.slug_for(title)
    if parent is None:
        raise ValidationError(_("Choose the page to move this one under."))
    if parent.is_deleted:
        raise ValidationError(_("The page to move this one under (/wiki/%(path)s) is deleted: restore it first, "
                                "or choose another.") % {"path": parent.path})
    # Whoever moves a page under another may edit that one (its protection, its read level).
    check_can_edit_page(actor, read_level_needed=parent.read_level, edit_level=parent.edit_level,
                        deleted=parent.is_deleted)
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=page.pk)
        parent = Page.objects.select_for_update().get(pk=parent.pk)
        old_path, new_path = page.path, paths.join(parent.path, slug)
        if parent.pk == page.pk or (parent.tree_id == page.tree_id and page.lft < parent.lft < page.rght):
            raise ValidationError(_("A page cannot be moved under itself or under one of its own sub-pages."))
        if new_path == old_path and title == page.title:
            raise ValidationError(_("Nothing changed: give a new title, parent page or address."))
        if new_path != old_path:
            _move_subtree(page=page, parent=parent, old_path=old_path, new_path=new_path, slug=slug)
        entry_detail = {"old_path": old_path, "new_path": new_path, "old_title": page.title, "new_title": title}
        if title != page.title:
            with translation.override(settings.LANGUAGE_CODE):  # the site's language, not the mover's
                summary = _("Renamed from “%(old)s” to “%(new)s”") % {"old": page.title, "new": title}
            try:
                save_revision(actor=actor, page=page, body=page.current_revision.body if page.current_revision else "",
                              base=page.last_number, title=title, summary=summary)
            except NoChange:
                pass
            page.refresh_from_db()
        PageLog.objects.create(page=page, actor=actor, action=PageLog.Action.MOVE, detail=entry_detail,
                               created_at=timezone.now())
        audit(actor=actor, action="wiki_move", page=page, detail=entry_detail)
        tell_watchers(actor=actor, page=page, action="move", detail=entry_detail)
    return page


def _move_subtree(*, page: Page, parent: Page, old_path: str, new_path: str, slug: str) -> None:
    subtree = Page.objects.filter(tree_id=page.tree_id, lft__gte=page.lft, rght__lte=page.rght)
    moved = dict(subtree.values_list("pk", "path"))
    renamed = {pk: new_path + path[len(old_path):] for pk, path in moved.items()}
    new_paths = set(renamed.values())
    if any(len(path) > PATH_MAX or not paths.is_valid_path(path) for path in new_paths):
        raise ValidationError(_("The page or one of its sub-pages would be too deep or its address too long there."))
    if Page.objects.filter(path__in=new_paths).exclude(pk__in=moved).exists() or \
            Redirect.objects.filter(old_path__in=new_paths).exclude(page_id__in=moved).exists():
        raise ValidationError(_("Another page (or a moved page's old address) already uses /wiki/%(path)s: choose "
                                "another address.") % {"path": new_path})
    # Old paths that become real pages again (a move undone) stop redirecting.
    Redirect.objects.filter(old_path__in=new_paths).delete()
    # The page itself through mptt (its place among its new siblings), then every path below.
    page.parent, page.slug, page.path = parent, slug, new_path
    page.save()
    if len(moved) > 1:
        Page.objects.filter(pk__in=[pk for pk in moved if pk != page.pk]).update(
            path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1)))
    now = timezone.now()
    Redirect.objects.bulk_create([Redirect(old_path=path, page_id=pk, created_at=now) for pk, path in moved.items()])
    # Red links to the new paths turn blue; links to the old paths keep their target (the redirect).
    Link.objects.filter(target_path__in=new_paths, target__isnull=True).update(
        target=Subquery(Page.objects.filter(path=OuterRef("target_path"), is_deleted=False).values("pk")[:1]))
