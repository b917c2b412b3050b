"""The blocked domains (a link to one marks content as spam, subdomains included) are written here
only, the Django admin included: the domain normalized (trimmed, lower case, without "www."), every
change by a member audit-logged, as the watched words are (moderation.watched.services)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from community.permissions import check_can_moderate

from .models import AuditLogEntry, BlockedDomain

DOMAIN_KIND = "moderation.blockeddomain"  # AuditLogEntry.kind for changes to the list


def normalize_domain(domain: str) -> str:
    """The form the spam check compares: "www.Cheap-Pills.example " -> "cheap-pills.example"."""
    return (domain or "").strip().lower().removeprefix("www.")


def block_domain(domain: str, *, note: str = ""):
    """Trusted (seeds, tests): block a domain as the admin would, without an audit entry."""
    return BlockedDomain.objects.create(domain=normalize_domain(domain), note=note)


def save_blocked_domain(*, actor, blocked):
    """Add or change a blocked domain (the form validated it); audit-logged. A domain blocked
    meanwhile under the same normalized name (a double submit) is a ValidationError."""
    check_can_moderate(actor)
    created = blocked.pk is None
    blocked.domain = normalize_domain(blocked.domain)
    with transaction.atomic():
        try:
            with transaction.atomic():
                blocked.save()
        except IntegrityError:
            raise ValidationError(_("This domain is already blocked."), code="duplicate") from None
        AuditLogEntry.objects.create(
            actor=actor, action="blocked_domain_add" if created else "blocked_domain_change", kind=DOMAIN_KIND,
            object_id=blocked.pk, detail={"domain": blocked.domain, "note": blocked.note})
    return blocked


def remove_blocked_domain(*, actor, blocked) -> bool:
    """Unblock a domain; audit-logged once (False when it was removed meanwhile: a double click)."""
    check_can_moderate(actor)
    with transaction.atomic():
        if BlockedDomain.objects.select_for_update().filter(pk=blocked.pk).first() is None:
            return False
        AuditLogEntry.objects.create(actor=actor, action="blocked_domain_delete", kind=DOMAIN_KIND,
                                     object_id=blocked.pk, detail={"domain": blocked.domain})
        blocked.delete()
    return True
