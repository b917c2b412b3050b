"""Notifications: what members are told, on the site and by email.

Each kind is declared once here (label, default channel, who may receive it, whether it is an alert
for community managers). Content apps register a *source* per content kind: a function that turns
a durable Event into recipients. Delivery (community.notifications.services / delivery) is the
same for every kind, so a new content type (blog comments, wiki pages, castings) only registers a
source, and a new kind only adds a `Kind` here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import Channel


@dataclass(frozen=True)
class Kind:
    name: str
    label: object
    default_channel: str
    # Higher wins when one event concerns a member for several reasons (mention beats watch).
    priority: int = 0
    # Alerts for community managers: they may choose them and set quiet hours.
    staff_alert: bool = False
    # Channels a member may choose (reactions are never emailed one by one).
    channels: tuple[str, ...] = field(default=tuple(Channel.values))
    description: object = ""
    # The news is the content itself (a new post): once the member has read that content on the
    # site (the content kind's `is_read`), they are not emailed about it. Not so for a like or a
    # moderation decision about their own post, which they have of course "read".
    read_with_content: bool = False

    @property
    def channels_choices(self):
        labels = dict(Channel.choices)
        return [(value, labels[value]) for value in self.channels]


KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> Kind:
    return KINDS[name]


def member_kinds() -> list[Kind]:
    return [kind for kind in KINDS.values() if not kind.staff_alert]


def staff_kinds() -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.staff_alert]


MENTION = register_kind(Kind("mention", _("Someone mentioned me"), Channel.IMMEDIATE, priority=50,
                             description=_("@yourname in a post."), read_with_content=True))
REPLY = register_kind(Kind("reply", _("A reply to my topic or post"), Channel.IMMEDIATE, priority=40,
                           description=_("Someone replied to a topic you started or quoted you."),
                           read_with_content=True))
WATCHED_TOPIC = register_kind(Kind("watched_topic", _("A new post in a topic I watch"), Channel.DAILY, priority=20,
                                   read_with_content=True))
WATCHED_FORUM = register_kind(Kind("watched_forum", _("A new topic in a forum I watch"), Channel.DAILY,
                                   priority=10, read_with_content=True))
REACTION = register_kind(Kind("reaction", _("Likes on my posts"), Channel.ONSITE, priority=5,
                              channels=(Channel.ONSITE, Channel.DAILY, Channel.WEEKLY, Channel.OFF),
                              description=_("Batched: never one email per like.")))
MODERATION = register_kind(Kind("moderation", _("A moderation decision about my content or account"),
                                Channel.IMMEDIATE, priority=60,
                                channels=(Channel.ONSITE, Channel.IMMEDIATE, Channel.DAILY)))
CM_REPORT = register_kind(Kind("cm_report", _("A new report to review"), Channel.IMMEDIATE, priority=70,
                               staff_alert=True))
CM_WATCHED_WORD = register_kind(Kind("cm_watched_word", _("A watched word was used"), Channel.IMMEDIATE,
                                     priority=70, staff_alert=True))


@dataclass
class Recipients:
    """What a source answers for an event: who is told, why, and what the notification shows."""

    kinds: dict[int, str]  # recipient id -> kind name
    group_key: str
    data: dict  # title, url, excerpt — shown in the list and the email


Source = Callable[[object], Recipients | None]
_sources: dict[tuple[str, str | None], Source] = {}


def register_source(event_kind: str, content_kind: str | None, source: Source) -> Source:
    """Tell who is concerned by events of `event_kind` about content of `content_kind` (the `kind`
    in the event's payload, e.g. "forums.post"; None for any). Registering also subscribes the
    fan-out to that event kind in the outbox."""
    from community import events

    from .services import fan_out_event

    _sources[(event_kind, content_kind)] = source
    events.handles(event_kind)(fan_out_event)
    return source


def source_for(event_kind: str, content_kind: str | None) -> Source | None:
    return _sources.get((event_kind, content_kind)) or _sources.get((event_kind, None))
