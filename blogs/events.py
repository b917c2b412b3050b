"""The spaces' event kinds and content kind names, declared once (community.events.declare)."""

from community import events

# The content kinds of the spine the spaces bring (blogs.content_kinds registers them).
POST_KIND = "blogs.post"
COMMENT_KIND = "blogs.comment"

# A post of a space went live for the first time before posts were a content kind (kept so that
# events already recorded under that name are still delivered).
SPACE_POST_PUBLISHED = events.declare("blogs.space_post_published", queue="notifications")
