"""Moderation's notification kinds, and who moderation's events concern (registered with
community.notifications at startup)."""

from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from community import content, markup, notifications
from community.models import Channel, User
from community.notifications import Kind, Line, Recipients, format_line
from community.permissions import community_managers_filter

from . import events
from .models import Decision, ReportReason, Sanction, SanctionKind, WatchedWord


def _decision_label(line: Line) -> str:
    """The decision's name in the reader's language (stored as its code: "hide")."""
    return str(dict(Decision.choices).get(line.data.get("decision", ""), ""))


def _decision_line(line: Line) -> str:
    if line.data.get("sanction"):
        return format_line(gettext_lazy("A moderator sanctioned your account: %(sanction)s"), line,
                           sanction=_(str(line.data["sanction"])))  # stored in English, shown translated
    if line.title and line.data.get("decision"):
        return format_line(gettext_lazy("A moderation decision about “%(title)s”: %(decision)s"), line,
                           decision=_decision_label(line))
    if line.title:
        return format_line(gettext_lazy("A moderation decision about “%(title)s”"), line)
    return format_line(gettext_lazy("A moderation decision about your account"), line)


def _decision_subject(line: Line) -> str:
    if line.data.get("sanction"):
        return _("A moderator sanctioned your account: %(sanction)s") % {"sanction": _(str(line.data["sanction"]))}
    if line.title and line.data.get("decision"):
        return _("A moderation decision about “%(title)s”: %(decision)s") % {
            "title": line.title, "decision": _decision_label(line)}
    if line.title:
        return _("A moderation decision about “%(title)s”") % {"title": line.title}
    return _("A moderation decision about your account")


_REPORTED = gettext_lazy("<strong>%(actor)s</strong> reported “%(title)s”")
_REPORTED_OTHERS = ngettext_lazy("<strong>%(actor)s</strong> and %(count)d other reported “%(title)s”",
                                 "<strong>%(actor)s</strong> and %(count)d others reported “%(title)s”", "count")


def _report_line(line: Line) -> str:
    text = (format_line(_REPORTED_OTHERS, line, count=line.others) if line.others
            else format_line(_REPORTED, line))
    if line.data.get("reason"):
        text += format_line(" (%(reason)s)", line, reason=_(str(line.data["reason"])))
    return text


def _watched_word_line(line: Line) -> str:
    if line.data.get("words"):
        return format_line(gettext_lazy("<strong>%(actor)s</strong> used %(words)s in “%(title)s”"), line,
                           words=str(line.data["words"]))
    return format_line(gettext_lazy("<strong>%(actor)s</strong> used a watched word in “%(title)s”"), line)


MODERATION = notifications.register_kind(Kind(
    "moderation", gettext_lazy("A moderation decision about my content or account"), Channel.IMMEDIATE,
    priority=60, order=60, channels=(Channel.ONSITE, Channel.IMMEDIATE, Channel.DAILY), line_fn=_decision_line,
    subject_fn=_decision_subject))
CM_REPORT = notifications.register_kind(Kind(
    "cm_report", gettext_lazy("A new report to review"), Channel.IMMEDIATE, priority=70, order=70,
    staff_alert=True, line_fn=_report_line))
CM_WATCHED_WORD = notifications.register_kind(Kind(
    "cm_watched_word", gettext_lazy("A watched word was used"), Channel.IMMEDIATE, priority=70, order=80,
    staff_alert=True, line_fn=_watched_word_line))


def community_managers():
    """Active, unbanned members who may moderate (CM role or superuser), as a queryset."""
    return User.objects.filter(community_managers_filter()).order_by()


def _item(payload):
    try:
        kind = content.get_kind(payload.get("kind", ""))
    except KeyError:
        return None, None
    return kind, kind.fetch([payload.get("object_id")]).get(payload.get("object_id"))


def report_recipients(event):
    """Every CM is told of a new report, grouped per item."""
    payload = event.payload or {}
    kind, obj = _item(payload)
    if obj is None:
        return None
    # The English label: the inbox translates it into each reader's language when shown.
    with translation.override("en"):
        reason = str(dict(ReportReason.choices).get(payload.get("reason"), ""))
    return Recipients(
        kinds=dict.fromkeys(community_managers().values_list("pk", flat=True), CM_REPORT.name),
        group_key=f"report:{kind.name}:{obj.pk}",
        data={"title": _first_line(kind, obj), "reason": reason, "kind_label": str(kind.label),
              "url": f"{reverse('moderation:queue')}?kind={kind.name}",
              "excerpt": Truncator(kind.text(obj)).chars(160)},
    )


def _english(label) -> str:
    with translation.override("en"):
        return str(label)


def _first_line(kind, obj) -> str:
    """What a notification calls an item: its first line as read (an opening post's is its topic's
    title), without Markdown."""
    line = next((line for line in kind.full_text(obj).splitlines() if line.strip()), "")
    return Truncator(markup.render_plain(line).strip() or str(kind.label)).chars(80)


def decision_recipients(event):
    """The reporters learn the outcome of their reports; the author learns what befell their content."""
    payload = event.payload or {}
    kind, obj = _item(payload)
    if obj is None:
        return None
    recipients = dict.fromkeys(payload.get("reporters", []), MODERATION.name)
    if payload.get("author"):
        recipients[payload["author"]] = MODERATION.name
    # Worded when shown, in each reader's language (the decision is stored as its code). The text
    # itself is quoted only while it is public: a hidden or removed item is named by its first line.
    data = {"title": _first_line(kind, obj), "decision": payload.get("decision", ""), "url": kind.url(obj),
            "kind_label": _english(kind.label)}
    if kind.is_public(obj):
        data["excerpt"] = Truncator(markup.render_plain(kind.text(obj))).chars(160)
    return Recipients(kinds=recipients, group_key=f"decision:{kind.name}:{obj.pk}:{event.pk}", data=data)


def sanction_recipients(event):
    """The member learns of their sanction and its reason (the link leads to their history)."""
    payload = event.payload or {}
    sanction = Sanction.objects.filter(pk=payload.get("sanction")).first()
    if sanction is None:
        return None
    return Recipients(
        kinds={sanction.member_id: MODERATION.name},
        group_key=f"sanction:{sanction.pk}",
        data={"title": _("A moderator sanctioned your account: %(kind)s") % {"kind": sanction.get_kind_display()},
              "sanction": _english(SanctionKind(sanction.kind).label),  # translated when shown
              "url": reverse("moderation:my_sanctions"), "excerpt": Truncator(sanction.reason).chars(160)},
    )


def watched_word_recipients(event):
    """The CMs watching a word learn that it was used, with a link to the content (once per item:
    moderation.watched.record_hits only records the event for new hits)."""
    payload = event.payload or {}
    kind, obj = _item(payload)
    if obj is None:
        return None
    words = list(WatchedWord.objects.filter(pk__in=payload.get("words", [])).order_by("normalized"))
    if not words:
        return None
    watchers = (community_managers().filter(watched_words__in=words).values_list("pk", flat=True).distinct())
    phrases = ", ".join(f"“{word.phrase}”" for word in words)
    return Recipients(
        kinds=dict.fromkeys(watchers, CM_WATCHED_WORD.name),
        group_key=f"watched:{kind.name}:{obj.pk}",
        data={"title": _first_line(kind, obj), "words": phrases, "kind_label": str(kind.label),
              "url": kind.url(obj), "excerpt": Truncator(kind.full_text(obj)).chars(160)},
    )


notifications.register_source(events.REPORT, None, report_recipients)
notifications.register_source(events.WATCHED_WORD, None, watched_word_recipients)
notifications.register_source(events.DECISION, None, decision_recipients)
notifications.register_source(events.SANCTION, None, sanction_recipients)
