"""Notifications: what members are told, on the site and by email.

Kinds and sources live in the registry (`registry.py`, re-exported here): each app registers the
kinds it brings (with their sentences) and a *source* per event kind (who an event concerns).
Delivery (services, delivery) is the same for every kind, so a new content type (blog comments,
wiki pages, castings) only registers a source, and a new kind only registers a `Kind`.

The spine's generic kinds are declared here; forum-, moderation- and later blog-specific kinds are
declared by their apps.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .models import Channel
from .registry import (  # noqa: F401  (the public API of the package)
    KINDS,
    Kind,
    Line,
    Recipients,
    check_kind,
    fallback_line,
    find_kind,
    format_line,
    get_kind,
    member_kinds,
    ordered_kinds,
    register_kind,
    register_source,
    source_for,
    staff_kinds,
)

MENTION = register_kind(Kind(
    "mention", _("Someone mentioned me"), Channel.IMMEDIATE, priority=50, order=10,
    description=_("@yourname in a post."), read_with_content=True,
    message=_("<strong>%(actor)s</strong> mentioned you in “%(title)s”"),
    message_others=ngettext_lazy("<strong>%(actor)s</strong> and %(count)d other mentioned you in “%(title)s”",
                                 "<strong>%(actor)s</strong> and %(count)d others mentioned you in “%(title)s”",
                                 "count"),
    subject=_("%(actor)s mentioned you in “%(title)s”")))
REPLY = register_kind(Kind(
    "reply", _("A reply to my topic or post"), Channel.IMMEDIATE, priority=40, order=20,
    description=_("Someone replied to a topic you started or quoted you."), read_with_content=True,
    message=_("<strong>%(actor)s</strong> replied to “%(title)s”"),
    message_others=ngettext_lazy("<strong>%(actor)s</strong> and %(count)d other replied to “%(title)s”",
                                 "<strong>%(actor)s</strong> and %(count)d others replied to “%(title)s”",
                                 "count"),
    subject=_("%(actor)s replied in “%(title)s”")))
REACTION = register_kind(Kind(
    "reaction", _("Likes on my posts"), Channel.ONSITE, priority=5, order=50,
    channels=(Channel.ONSITE, Channel.DAILY, Channel.WEEKLY, Channel.OFF),
    description=_("Batched: never one email per like."),
    message=_("<strong>%(actor)s</strong> liked your post in “%(title)s”"),
    message_others=ngettext_lazy("<strong>%(actor)s</strong> and %(count)d other liked your post in “%(title)s”",
                                 "<strong>%(actor)s</strong> and %(count)d others liked your post in “%(title)s”",
                                 "count"),
    subject=_("%(actor)s liked your post in “%(title)s”")))
