"""The notification registry: kinds (what a member is told, and how it reads) and sources (who an
event concerns). Content apps register both in their ready(); nothing else changes when they do.

A kind describes itself, as Misago's notification registry does: its inbox line, with and without
"and N others", and its email subject, as translatable format strings (or a function for a kind
whose sentence depends on the data); templates render what the kind says and never branch on kind
names. A kind without its own sentences falls back to "News about “title”".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import event_kinds as events
from ..registries import NotRegistered, check_content_kind, unknown
from .models import Channel

# Fallbacks for a kind that does not say more (and for a kind no longer registered).
FALLBACK_LINE = _("News about “%(title)s”")
FALLBACK_LINE_UNTITLED = _("News for you")
FALLBACK_SUBJECT = _("News in “%(title)s”")


@dataclass(frozen=True)
class Line:
    """What one notification (or a group of them) says: the actor's name, how many more members
    acted, the item's title, and the notification's data (the extra fields its source stored)."""

    actor: str
    others: int
    title: str
    data: dict


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
    # The inbox line: a format string with %(actor)s and %(title)s (HTML: <strong> allowed, the
    # values are escaped), and its plural form for "<actor> and N others …" as an ngettext_lazy
    # with %(count)d. Or `line_fn(line: Line) -> str` for a sentence that depends on the data.
    message: object = None
    message_others: object = None
    line_fn: Callable[[Line], str] | None = None
    # The email subject (plain text), with %(actor)s and %(title)s; or `subject_fn(line) -> str`.
    subject: object = None
    subject_fn: Callable[[Line], str] | None = None
    # Where the kind shows on the preferences page (lower first).
    order: int = 100
    # A notice about an item still held (a comment awaiting its space owner's approval): when the
    # item is published, the news is still to tell its readers (notifications.announce_publication).
    about_held: bool = False
    # email_actions(notification, user) -> [(label, absolute url), …]: buttons in the email (signed
    # one-click links to a confirmation page, say); asked when the email is written.
    email_actions: Callable | None = None

    @property
    def channels_choices(self):
        labels = dict(Channel.choices)
        return [(value, labels[value]) for value in self.channels]

    def line(self, line: Line) -> SafeString:
        """The inbox sentence, translated in the active language, escaped and safe to show."""
        if self.line_fn is not None:
            return conditional_escape(self.line_fn(line))  # safe only if the function built it with format_line
        if self.message is None:
            return fallback_line(line)
        if line.others > 0 and self.message_others is not None:
            return format_line(self.message_others, line, count=line.others)
        return format_line(self.message, line)

    def subject_for(self, line: Line) -> str:
        """The email subject in the active language (plain text: never escaped)."""
        if self.subject_fn is not None:
            return self.subject_fn(line)
        template = self.subject if self.subject is not None else FALLBACK_SUBJECT
        return str(template) % {"actor": line.actor, "title": line.title}


def format_line(template, line: Line, **extra) -> SafeString:
    """`template % values` with every value escaped (names and titles are member text)."""
    values = {"actor": conditional_escape(line.actor), "title": conditional_escape(line.title)}
    values.update({key: (value if isinstance(value, int) else conditional_escape(value))
                   for key, value in extra.items()})
    return mark_safe(template % values)  # (a lazy ngettext picks its form from values["count"])


def fallback_line(line: Line) -> SafeString:
    if line.title:
        return format_line(FALLBACK_LINE, line)
    return format_html("{}", gettext(str(FALLBACK_LINE_UNTITLED)))


KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> Kind:
    existing = KINDS.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"notification kind {kind.name!r} is already registered differently")
    KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> Kind:
    return KINDS[name]


def find_kind(name: str) -> Kind | None:
    return KINDS.get(name)


def ordered_kinds() -> list[Kind]:
    return sorted(KINDS.values(), key=lambda kind: (kind.order, kind.name))


def member_kinds() -> list[Kind]:
    return [kind for kind in ordered_kinds() if not kind.staff_alert]


def staff_kinds() -> list[Kind]:
    return [kind for kind in ordered_kinds() if kind.staff_alert]


def check_kind(name: str) -> bool:
    """Is `name` a registered kind? An unknown one raises in tests and DEBUG, is logged in production."""
    if name in KINDS:
        return True
    unknown(f"unknown notification kind {name!r}: register it with community.notifications.register_kind()")
    return False


@dataclass
class Recipients:
    """What a source answers for an event: who is told, why, and what the notification shows."""

    kinds: dict[int, str]  # recipient id -> kind name
    group_key: str
    data: dict  # title, url, excerpt — shown in the list and the email


Source = Callable[[object], Recipients | None]
_sources: dict[tuple[str, str | None], Source] = {}
_unchecked: set[str] = set()  # content kinds named by sources, not yet checked (apps register in any order)


def register_source(event_kind: str, content_kind: str | None, source: Source) -> Source:
    """Tell who is concerned by events of `event_kind` about content of `content_kind` (the `kind`
    in the event's payload, e.g. "forums.post"; None for any). It also serves every kind that
    announces `event_kind` again (content.published announces content.created): one registration,
    whatever the verb. An undeclared event kind raises in tests and DEBUG; an unregistered content
    kind too, but later — when sources are first resolved, and in the system check run at startup
    (`source_problems`) — since the app registering the content kind may be ready after this one."""
    events.check_declared(event_kind)
    _sources[(event_kind, content_kind)] = source
    if content_kind is not None:
        _unchecked.add(content_kind)
    return source


def check_sources() -> None:
    """Check the content kinds named by sources registered since the last check: an unknown one
    raises NotRegistered in tests and DEBUG, is logged at ERROR in production."""
    while _unchecked:
        check_content_kind(_unchecked.pop())


def source_problems() -> list[str]:
    """What is wrong with every registered source (for the system check): one message per content
    kind nobody registered. In production each is logged and the list stays empty."""
    problems = []
    for name in sorted({content_kind for _event_kind, content_kind in _sources if content_kind is not None}):
        try:
            check_content_kind(name)
        except NotRegistered as exc:
            problems.append(f"a notification source names {exc}")
    return problems


def source_for(event_kind: str, content_kind: str | None) -> Source | None:
    check_sources()
    for name in events.family(event_kind):
        found = _sources.get((name, content_kind)) or _sources.get((name, None))
        if found is not None:
            return found
    return None
