"""The community manager's workspace (/cm/): scouting, casting, curation; and the editors' area
(/cms/, Wagtail), where featured contributors and CMs write."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .core import CAST, CM_WORKSPACE, check_not_sanctioned, state_for


def check_can_use_cm_workspace(actor):
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in as a community manager to use the workspace."))
    check_not_sanctioned(actor)
    if not state_for(actor).has(CM_WORKSPACE):
        raise PermissionDenied(_("The workspace is for community managers."))


def check_can_cast_members(actor):
    check_can_use_cm_workspace(actor)
    if not state_for(actor).has(CAST):
        raise PermissionDenied(_("You may not cast members into featured spaces."))


def check_can_open_cms(actor):
    """The editors' area (/cms/): whoever holds Wagtail's access_admin permission (the Contributors
    and Community managers roles, given after migrate); inside, Wagtail's page permissions rule."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to open the editors' area."))
    check_not_sanctioned(actor)
    if not actor.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied(_("The editors' area is for featured contributors and community managers."))


def check_can_use_cms_site_wide_tools(actor):
    """Wagtail's site-wide tools (bulk actions over any pages, the page types report) name pages of
    every space, drafts included: for community managers and staff, not for a space's writers."""
    check_can_open_cms(actor)
    state = state_for(actor)
    if not (state.is_community_manager or state.is_staff or actor.is_superuser):
        raise PermissionDenied(_("This tool of the editors' area is for community managers."))
