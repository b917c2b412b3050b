"""What the mediation area registers when the app is ready: its notification kinds and sources, the
audit log's labels of its actions, the member card's "Escalate to staff" action, its demo seed."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def ready():
    from community.demo import register_seed
    from moderation.models import register_audit_actions

    from ..scouting import card
    from . import notifications  # noqa: F401  (kinds and sources register on import)
    from .demo import seed_mediation

    register_audit_actions({
        "watch_alert_take": _("Take a brand-watch alert"),
        "watch_alert_release": _("Give back a brand-watch alert"),
        "watch_alert_done": _("Close a brand-watch alert"),
        "watch_alert_reopen": _("Reopen a brand-watch alert"),
        "escalation_open": _("Escalate to staff"),
        "escalation_answer": _("Answer an escalation"),
    })
    card.register_action("escalate", label=_("Escalate to staff"),
                         url=lambda member: reverse("cm:escalate_member", args=[member.username]), order=80)
    # After moderation's watched words and open report (order 90).
    register_seed("mediation", seed_mediation, order=95)
