"""The moderation app's event kinds, declared once (community.events.declare)."""

from community import events

REPORT = events.declare("moderation.report", queue="notifications")
DECISION = events.declare("moderation.decision", queue="notifications")
SANCTION = events.declare("moderation.sanction", queue="notifications")
WATCHED_WORD = events.declare("moderation.watched_word", queue="notifications")
# "Remove all content of this member": the work itself, over every content kind, off the request and
# off the default queue — heavy work goes to "spam", beside the content checks (every worker command
# of the project consumes it: the Makefile's, the README's, the integration harness's).
REMOVE_ALL_CONTENT = events.declare("moderation.remove_all_content", queue="spam")
