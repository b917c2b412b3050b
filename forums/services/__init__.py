"""Writes of the forums, split by verb. Each public function authorizes (community.permissions),
then writes in one transaction: markup rendered once before it opens, counters kept with F()
under the topic's row lock, and the durable Event recorded beside the row through the content
protocol (DESIGN.md, "How content flows"). Every function is keyword-only, `actor=` first.

- tree: the forum tree and its read levels (trusted: admin, seeds)
- posting: topics, replies, edits, deletions, likes, accepted answers
- moderating: pin, lock, move, hide, restore, and the counters' visibility hook
- reading: read marks and watching
"""

from community.writing import BODY_MAX_BYTES, DOUBLE_SUBMIT_WINDOW, TITLE_MAX

from .moderating import (
    hide_post,
    move_topic,
    post_visibility_changed,
    refresh_forum_last_post,
    refresh_topic_last_post,
    restore_post,
    set_locked,
    set_pinned,
)
from .posting import (
    DuplicatePost,
    DuplicateTopic,
    accept_answer,
    clean_body,
    clean_title,
    create_topic,
    delete_post,
    edit_post,
    post_reply,
    toggle_reaction,
)
from .reading import mark_forum_read, mark_topic_read, set_forum_watch, set_topic_watch
from .tree import recompute_read_levels, save_forum

__all__ = [
    "BODY_MAX_BYTES", "DOUBLE_SUBMIT_WINDOW", "TITLE_MAX", "DuplicatePost", "DuplicateTopic", "accept_answer",
    "clean_body", "clean_title", "create_topic", "delete_post", "edit_post", "hide_post", "mark_forum_read",
    "mark_topic_read", "move_topic", "post_reply", "post_visibility_changed", "recompute_read_levels",
    "refresh_forum_last_post", "refresh_topic_last_post", "restore_post", "save_forum", "set_forum_watch",
    "set_locked", "set_pinned", "set_topic_watch", "toggle_reaction",
]
