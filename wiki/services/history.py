"""Reverting a page to one of its revisions: a new revision with that revision's text (history
is never rewritten)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from community.models import Visibility
from community.permissions import check_can_edit_page, check_can_read_text

from ..models import Page, Revision
from .editing import EditConflict, NoChange, save_revision

__all__ = ["NoChange", "revert"]


def revert(*, actor, page: Page, number: int) -> Revision:
    """Save, as the page's next revision, the title and text of its revision `number`.
    Raises Revision.DoesNotExist (no such revision of this page), Http404 (a revision `actor` may not
    read), PermissionDenied (protected page), ValidationError (a revision moderation hid: its text is
    not brought back), NoChange (that text is already the current one)."""
    target = Revision.objects.select_related("author").get(page=page, number=number)
    target.page = page
    check_can_read_text(actor, target)
    check_can_edit_page(actor, read_level_needed=page.read_level, edit_level=page.edit_level,
                        deleted=page.is_deleted)
    if target.status != Visibility.PUBLISHED:
        raise ValidationError(_("This revision is not public (held or hidden by the moderators): "
                                "it cannot be brought back."))
    with translation.override(settings.LANGUAGE_CODE):  # stored: the site's language, not the reverter's
        summary = _("Reverted to revision %(number)s by %(author)s") % {"number": number, "author": target.author.name}
    for _attempt in range(3):
        fresh = Page.objects.get(pk=page.pk)
        try:
            return save_revision(actor=actor, page=fresh, body=target.body, title=target.title,
                                 base=fresh.last_number, summary=summary, reverts=target)
        except EditConflict:
            continue  # someone saved meanwhile: revert on top of their save
    raise ValidationError(_("The page is being edited right now: try again in a moment."))
