"""The spaces' event kinds, declared once (community.events.declare)."""

from community import events

# A post of a space went live for the first time: the space's followers are told.
SPACE_POST_PUBLISHED = events.declare("blogs.space_post_published", queue="notifications")
