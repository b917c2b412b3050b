"""The forums' event kinds and content-kind names, declared once (community.events.declare)."""

from community import events

POST_KIND = "forums.post"  # the content kind of posts (forums.content_kinds)
TOPIC_KIND = "forums.topic"  # a topic as checks see it (its title and opening post)

REACTION = events.declare("forums.reaction", queue="notifications")
ANSWER_ACCEPTED = events.declare("forums.answer_accepted", queue="notifications")
# A moderator edited someone else's post (with a reason: a redaction): its author is told.
MODERATOR_EDIT = events.declare("forums.moderator_edit", queue="notifications")
