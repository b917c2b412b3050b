"""The wiki's views, one module per area: pages (read, create, edit, links), history (history,
revisions, diffs, reverts, recent changes, contributions, feed), manage (watch, protect, move,
delete, log, discussion), spine (patrol). URLs in wiki/urls.py."""
