"""Home page curation: who chooses what the community sees first (featured spaces and pieces,
announcements). Closing a banner is for everyone (a member for good, a visitor for the visit)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .core import CM_WORKSPACE, state_for
from .workspace import check_can_use_cm_workspace


def check_can_curate(actor):
    """Feature spaces and pieces, order them, publish announcements: whoever may use the CM
    workspace (community managers, staff), not sanctioned."""
    check_can_use_cm_workspace(actor)
    if not state_for(actor).has(CM_WORKSPACE):  # (the workspace's rule today; written here should it narrow)
        raise PermissionDenied(_("Only community managers curate the home page."))
