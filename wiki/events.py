"""The wiki's names on the spine: its content kind and its own event kinds (declared once)."""

from community import events

REVISION_KIND = "wiki.revision"
# A page moved, was protected, deleted or restored (the watchers are told; the log keeps it).
PAGE_CHANGED = events.declare("wiki.page_changed", queue="notifications")
