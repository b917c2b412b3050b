"""The mediation area's notification kinds and who its events concern (registered from setup.ready()).

- cm_escalation: staff learn that a CM escalated a matter (the link opens it in the Django admin);
- cm_escalation_answered: the CM who escalated it reads the staff's answer;
- escalation_outcome: the member concerned learns that staff reviewed the matter, with the message
  staff wrote for them — never the CM's note nor the answer meant for the CM.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community import notifications
from community.models import Channel
from community.notifications import Kind, Line, Recipients, format_line

from .events import ESCALATED, ESCALATION_ANSWERED


def _escalated_line(line: Line) -> str:
    if line.title:
        return format_line(gettext_lazy("<strong>%(actor)s</strong> escalated “%(title)s” to staff"), line)
    return format_line(gettext_lazy("<strong>%(actor)s</strong> escalated a matter about @%(member)s to staff"),
                       line, member=str(line.data.get("member", "")))


def _answered_line(line: Line) -> str:
    if line.title:
        return format_line(gettext_lazy("<strong>%(actor)s</strong> answered your escalation about “%(title)s”"), line)
    return format_line(gettext_lazy("<strong>%(actor)s</strong> answered your escalation about @%(member)s"),
                       line, member=str(line.data.get("member", "")))


def _escalated_subject(line: Line) -> str:
    if line.title:
        return _("%(actor)s escalated “%(title)s” to staff") % {"actor": line.actor, "title": line.title}
    return _("%(actor)s escalated a matter about @%(member)s to staff") % {
        "actor": line.actor, "member": line.data.get("member", "")}


def _answered_subject(line: Line) -> str:
    if line.title:
        return _("%(actor)s answered your escalation about “%(title)s”") % {"actor": line.actor, "title": line.title}
    return _("%(actor)s answered your escalation about @%(member)s") % {
        "actor": line.actor, "member": line.data.get("member", "")}


def _outcome_line(line: Line) -> str:
    if line.title:
        return format_line(gettext_lazy("The staff team reviewed a matter about your content in “%(title)s”"), line)
    return format_line(gettext_lazy("The staff team reviewed a matter about your account"), line)


def _outcome_subject(line: Line) -> str:
    if line.title:
        return _("The staff team reviewed a matter about your content in “%(title)s”") % {"title": line.title}
    return _("The staff team reviewed a matter about your account")


CM_ESCALATION = notifications.register_kind(Kind(
    "cm_escalation", gettext_lazy("A community manager escalated a matter to staff"), Channel.IMMEDIATE,
    priority=70, order=82, staff_alert=True, line_fn=_escalated_line,
    subject_fn=_escalated_subject))
CM_ESCALATION_ANSWERED = notifications.register_kind(Kind(
    "cm_escalation_answered", gettext_lazy("Staff answered my escalation"), Channel.IMMEDIATE,
    priority=70, order=83, staff_alert=True, line_fn=_answered_line,
    subject_fn=_answered_subject))
ESCALATION_OUTCOME = notifications.register_kind(Kind(
    "escalation_outcome", gettext_lazy("Staff reviewed a matter about my content or account"), Channel.IMMEDIATE,
    priority=60, order=61, line_fn=_outcome_line, subject_fn=_outcome_subject))


def _escalation(event):
    from cm.models import Escalation

    return (Escalation.objects.select_related("member", "escalated_by")
            .filter(pk=(event.payload or {}).get("escalation")).first())


def escalated_recipients(event):
    """Every active staff member is told of a new escalation (the admin is where they answer)."""
    escalation = _escalation(event)
    if escalation is None:
        return None
    staff = get_user_model().objects.filter(is_staff=True, is_active=True).values_list("pk", flat=True)
    return Recipients(
        kinds=dict.fromkeys(staff, CM_ESCALATION.name), group_key=f"escalation:{escalation.pk}",
        data={"title": escalation.title, "member": escalation.member.username if escalation.member else "",
              "url": reverse("admin:cm_escalation_change", args=[escalation.pk]),
              "excerpt": Truncator(escalation.note).chars(160)})


def answered_recipients(event):
    """The CM reads the answer (on /cm/escalations/); the member gets their own message, in its own
    notification (the data of one notification is shared by its recipients)."""
    escalation = _escalation(event)
    if escalation is None:
        return None
    payload = event.payload or {}
    if payload.get("audience") == "member":
        if escalation.member_id is None:
            return None
        return Recipients(
            kinds={escalation.member_id: ESCALATION_OUTCOME.name}, group_key=f"escalation-outcome:{escalation.pk}",
            data={"title": escalation.title, "url": payload.get("member_url", ""),
                  "excerpt": Truncator(escalation.member_message).chars(300)})
    if escalation.escalated_by_id is None:
        return None
    return Recipients(
        kinds={escalation.escalated_by_id: CM_ESCALATION_ANSWERED.name}, group_key=f"escalation:{escalation.pk}",
        data={"title": escalation.title, "member": escalation.member.username if escalation.member else "",
              "url": reverse("cm:escalations") + f"#escalation-{escalation.pk}",
              "excerpt": Truncator(escalation.answer).chars(300)})


notifications.register_source(ESCALATED, None, escalated_recipients)
notifications.register_source(ESCALATION_ANSWERED, None, answered_recipients)
