"""The mediation area's event kinds, declared once (community.events.declare)."""

from community import events

# A CM escalated a matter to staff (staff are told).
ESCALATED = events.declare("cm.escalated", queue="notifications")
# Staff answered an escalation (the CM who escalated it, and the member concerned, are told).
ESCALATION_ANSWERED = events.declare("cm.escalation_answered", queue="notifications")
