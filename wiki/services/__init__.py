"""The wiki's services, split by verb (every write goes through one of them).

- editing: create a page, save a revision (edit conflicts merged or handed back), the current
  revision after moderation
- history: revert
- watching, protection, moving, deleting: the page's watchers, protection, moves and deletions
- patrol: patrolling edits by new members
- discussion: the page's forum topic
"""
