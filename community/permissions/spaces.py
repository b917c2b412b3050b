"""The contributor spaces' rules (the pages themselves are Wagtail's, with its page permissions)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .core import check_not_sanctioned


def check_can_follow_space(actor):
    """Any member may follow a space (and stop), unless banned or suspended."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to follow a space."))
    check_not_sanctioned(actor)
