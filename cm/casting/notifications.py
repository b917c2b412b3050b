"""Casting's notification kinds and who its events concern (registered from cm.casting.setup.ready):

- casting_invitation: the member is invited (on the site and by email, with the terms);
- casting_answered: the CM who cast learns the answer (accepted, declined);
- casting_space_changed: the holder learns a step about their space or badge (paused, resumed,
  retired, renewed, ended, handed over, received, badge revoked, invitation withdrawn);
- casting_term_ending: the CM who cast and the other CMs, 14 days before a term ends and when it is over.

Each sentence is worded when shown, in the reader's language, from codes kept in the data."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community import notifications
from community.models import Channel, User
from community.notifications import Kind, Line, Recipients, format_line
from community.permissions import community_managers_filter

from ..models import Casting
from . import events


def _date(value) -> str:
    try:
        return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return ""


def _kind(line: Line) -> str:
    """The kind of space, stored in English, shown in the reader's language."""
    return _(str(line.data.get("kind_label", "")))


# --- The invitation ----------------------------------------------------------------------------------

def _invitation_line(line: Line):
    if line.data.get("guest"):
        return format_line(gettext_lazy("<strong>%(actor)s</strong> invites you to be a guest expert"), line)
    return format_line(gettext_lazy("<strong>%(actor)s</strong> invites you to host “%(title)s” (%(kind)s)"), line,
                       kind=_kind(line))


def _invitation_subject(line: Line) -> str:
    if line.data.get("guest"):
        return _("%(actor)s invites you to be a guest expert") % {"actor": line.actor}
    return _("%(actor)s invites you to host “%(title)s” (%(kind)s)") % {
        "actor": line.actor, "title": line.title, "kind": _kind(line)}


# --- The answer --------------------------------------------------------------------------------------

ANSWERS = {
    "accepted": gettext_lazy("<strong>%(actor)s</strong> accepted your invitation: %(what)s"),
    "declined": gettext_lazy("<strong>%(actor)s</strong> declined your invitation: %(what)s"),
}
ANSWER_SUBJECTS = {
    "accepted": gettext_lazy("%(actor)s accepted your invitation: %(what)s"),
    "declined": gettext_lazy("%(actor)s declined your invitation: %(what)s"),
}


def _what(line: Line) -> str:
    if line.data.get("guest"):
        return _("the guest-expert badge")
    return _("“%(title)s” (%(kind)s)") % {"title": line.title, "kind": _kind(line)}


def _answer_line(line: Line):
    return format_line(ANSWERS.get(line.data.get("answer"), ANSWERS["declined"]), line, what=_what(line))


def _answer_subject(line: Line) -> str:
    template = ANSWER_SUBJECTS.get(line.data.get("answer"), ANSWER_SUBJECTS["declined"])
    return str(template) % {"actor": line.actor, "what": _what(line)}


# --- A step about the holder's space or badge ------------------------------------------------------------

CHANGES = {
    "paused": gettext_lazy("Your space “%(title)s” is paused: hidden from the public for now, nothing is lost"),
    "resumed": gettext_lazy("Your space “%(title)s” is open to the public again"),
    "retired": gettext_lazy("Your space “%(title)s” is now an archive: still readable, no new posts"),
    "renewed": gettext_lazy("Your term for “%(title)s” is renewed until %(date)s"),
    "ended": gettext_lazy("Your term for “%(title)s” has ended: the space is kept as an archive"),
    "handed_over": gettext_lazy("Your space “%(title)s” was handed over to %(other)s"),
    "received": gettext_lazy("You now hold the space “%(title)s”, until %(date)s"),
    "revoked": gettext_lazy("Your guest-expert badge was revoked"),
    "guest_renewed": gettext_lazy("Your guest-expert badge is renewed until %(date)s"),
    "guest_ended": gettext_lazy("Your term as a guest expert has ended"),
    "withdrawn": gettext_lazy("The invitation to “%(title)s” was withdrawn"),
}


def _change_line(line: Line):
    template = CHANGES.get(line.data.get("change"), CHANGES["resumed"])
    return format_line(template, line, date=_date(line.data.get("ends_on")), other=str(line.data.get("other", "")))


def _change_subject(line: Line) -> str:
    template = CHANGES.get(line.data.get("change"), CHANGES["resumed"])
    return str(template) % {"title": line.title, "date": _date(line.data.get("ends_on")),
                            "other": line.data.get("other", "")}


# --- Terms ending --------------------------------------------------------------------------------------

TERMS = {
    "ending": gettext_lazy("The term of %(member)s for %(what)s ends on %(date)s: renew it or let it end"),
    "over": gettext_lazy("The term of %(member)s for %(what)s is over: renew it, or retire or hand over the space"),
}


def _term_line(line: Line):
    template = TERMS.get(line.data.get("term"), TERMS["ending"])
    return format_line(template, line, member=str(line.data.get("member", "")), what=_what(line),
                       date=_date(line.data.get("ends_on")))


def _term_subject(line: Line) -> str:
    template = TERMS.get(line.data.get("term"), TERMS["ending"])
    return str(template) % {"member": line.data.get("member", ""), "what": _what(line),
                            "date": _date(line.data.get("ends_on"))}


INVITATION = Kind(
    "casting_invitation", gettext_lazy("An invitation to a featured space or the guest-expert badge"),
    Channel.IMMEDIATE, priority=80, order=30, channels=(Channel.ONSITE, Channel.IMMEDIATE, Channel.DAILY),
    description=gettext_lazy("A community manager invites you: the email gives the terms."),
    line_fn=_invitation_line, subject_fn=_invitation_subject)
SPACE_CHANGED = Kind(
    "casting_space_changed", gettext_lazy("News about my featured space or badge"), Channel.IMMEDIATE,
    priority=75, order=31, channels=(Channel.ONSITE, Channel.IMMEDIATE, Channel.DAILY),
    description=gettext_lazy("Paused, resumed, archived, renewed, ended, handed over."),
    line_fn=_change_line, subject_fn=_change_subject)
ANSWERED = Kind(
    "casting_answered", gettext_lazy("A member answered my casting invitation"), Channel.IMMEDIATE,
    priority=70, order=85, staff_alert=True, line_fn=_answer_line, subject_fn=_answer_subject)
TERM_ENDING = Kind(
    "casting_term_ending", gettext_lazy("A featured member's term ends soon"), Channel.IMMEDIATE,
    priority=70, order=86, staff_alert=True, line_fn=_term_line, subject_fn=_term_subject)


def _english(label) -> str:
    with translation.override("en"):
        return str(label)


def _casting(event) -> Casting | None:
    return Casting.objects.select_related("member", "cast_by").filter(pk=event.target_id).first()


def _common(casting: Casting) -> dict:
    return {"title": casting.title, "kind": casting.kind, "kind_label": _english(casting.kind_label),
            "guest": casting.is_guest_expert, "ends_on": casting.ends_on.isoformat(),
            "member": casting.member.name}


def terms_text(casting: Casting) -> str:
    """The terms, in the active language (the email's excerpt; the invitation page says the same)."""
    what = (_("Guest expert") if casting.is_guest_expert
            else _("%(kind)s “%(title)s”") % {"kind": casting.kind_label, "title": casting.title})
    return _("%(what)s, from %(start)s to %(end)s.") % {
        "what": what, "start": date_format(casting.starts_on, "DATE_FORMAT"),
        "end": date_format(casting.ends_on, "DATE_FORMAT")}


def invitation_recipients(event):
    casting = _casting(event)
    if casting is None:
        return None
    with translation.override(casting.member.language or None):  # one reader: the excerpt in their language
        excerpt = f"{terms_text(casting)} {Truncator(casting.message).chars(600)}".strip()
    return Recipients(kinds={casting.member_id: INVITATION.name}, group_key=f"casting:{casting.pk}",
                      data={**_common(casting), "url": reverse("invitations:detail", args=[casting.pk]),
                            "excerpt": excerpt})


def answer_recipients(event):
    casting = _casting(event)
    if casting is None or casting.cast_by_id is None:
        return None
    return Recipients(kinds={casting.cast_by_id: ANSWERED.name}, group_key=f"casting:{casting.pk}",
                      data={**_common(casting), "answer": (event.payload or {}).get("answer", ""),
                            "url": reverse("cm:casting_detail", args=[casting.pk])})


def change_recipients(event):
    casting = _casting(event)
    if casting is None:
        return None
    payload = event.payload or {}
    data = {**_common(casting), "change": payload.get("change", ""), "other": payload.get("other", ""),
            "url": reverse("invitations:detail", args=[casting.pk])}
    if payload.get("title"):
        data["title"] = payload["title"]
    return Recipients(kinds={casting.member_id: SPACE_CHANGED.name}, group_key=f"casting:{casting.pk}:{event.pk}",
                      data=data)


def term_recipients(event):
    """The CM who cast, and every CM (whoever acts first)."""
    casting = _casting(event)
    if casting is None:
        return None
    managers = set(User.objects.filter(community_managers_filter()).values_list("pk", flat=True))
    if casting.cast_by_id:
        managers.add(casting.cast_by_id)
    term = (event.payload or {}).get("term", "ending")
    return Recipients(kinds=dict.fromkeys(managers, TERM_ENDING.name), group_key=f"casting-term:{casting.pk}:{term}",
                      data={**_common(casting), "term": term,
                            "url": reverse("cm:casting_detail", args=[casting.pk])})


def register() -> None:
    for kind in (INVITATION, SPACE_CHANGED, ANSWERED, TERM_ENDING):
        notifications.register_kind(kind)
    notifications.register_source(events.INVITED, None, invitation_recipients)
    notifications.register_source(events.ANSWERED, None, answer_recipients)
    notifications.register_source(events.CHANGED, None, change_recipients)
    notifications.register_source(events.TERM_ENDING, None, term_recipients)
