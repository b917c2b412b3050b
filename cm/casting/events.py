"""The casting area's event kinds, declared once (community.events.declare): each is recorded by a
casting service in its own transaction, and cm.casting.notifications says whom it concerns."""

from community import events

INVITED = events.declare("cm.casting.invited", queue="notifications")  # the member is invited
ANSWERED = events.declare("cm.casting.answered", queue="notifications")  # they accepted or declined
CHANGED = events.declare("cm.casting.changed", queue="notifications")  # a step about their space or badge
TERM_ENDING = events.declare("cm.casting.term_ending", queue="notifications")  # 14 days before, or over
