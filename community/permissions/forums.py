"""The forums' rules: reading (by read level), posting, editing, moderating a forum.

Forum access uses the read levels of `members.read_level`; per-forum moderators are the forum's
`moderators`, and community managers moderate every forum.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from ..models import Visibility
from .content import content_visibility, may_view_content
from .core import check_can_post, check_not_sanctioned, state_for
from .members import read_level


def readable_forums_filter(actor, prefix="") -> Q:
    return Q(**{f"{prefix}read_level__lte": read_level(actor)})


def moderated_forum_ids(actor) -> frozenset:
    """Forums where `actor` is a per-forum moderator (with their grants: no query when cached)."""
    state = state_for(actor)
    grants = state.grants if state.is_authenticated else None
    return grants.moderated_forum_ids if grants is not None else frozenset()


def is_forum_moderator(actor, forum) -> bool:
    state = state_for(actor)
    if not state.is_authenticated or state.is_banned or state.is_suspended:
        return False
    return state.is_community_manager or forum.pk in moderated_forum_ids(actor)


def check_can_read_forum(actor, forum):
    """Raises Http404 rather than PermissionDenied: a forum you may not read does not exist."""
    if forum.read_level > read_level(actor):
        raise Http404(_("No such forum."))


def check_can_read_topic(actor, topic):
    check_can_read_forum(actor, topic.forum)
    if not may_view_content(actor, author_id=topic.author_id, status=topic.status,
                            moderates=lambda: is_forum_moderator(actor, topic.forum)):
        raise Http404(_("No such topic."))


def check_can_read_post(actor, post):
    """A post in a topic the actor may read, visible to them by the content rule."""
    check_can_read_topic(actor, post.topic)
    if not may_view_content(actor, author_id=post.author_id, status=post.status,
                            moderates=lambda: is_forum_moderator(actor, post.topic.forum)):
        raise Http404(_("No such post."))


def may_read_post(actor, post) -> bool:
    """May `actor` read this post's *text*, by any URL (the forums' `can_view` of the content
    protocol)? The forum's read level, then the content rule for its topic and for the post — text
    its author deleted being for the forum's moderators only. Asks no query for a public post in a
    forum the actor may read (`post.topic.forum` loaded)."""
    forum = post.topic.forum
    if forum.read_level > read_level(actor):
        return False
    moderates = _moderates_lazily(actor, forum)
    return (may_view_content(actor, author_id=post.topic.author_id, status=post.topic.status, moderates=moderates)
            and may_view_content(actor, author_id=post.author_id, status=post.status, deleted=post.is_deleted,
                                 moderates=moderates))


def _moderates_lazily(actor, forum):
    answer = []

    def moderates():
        if not answer:
            answer.append(is_forum_moderator(actor, forum))
        return answer[0]
    return moderates


def check_can_read_post_text(actor, post):
    """`may_read_post` as a rule (its edit history, a quote of it): Http404 — it does not exist."""
    if not may_read_post(actor, post):
        raise Http404(_("No such post."))


check_can_read_post_history = check_can_read_post_text


def may_see_redacted_revisions(actor, post) -> bool:
    """Versions a moderator replaced (a redaction) are for the forum's moderators only."""
    return is_forum_moderator(actor, post.topic.forum)


def check_can_quote_post(actor, post, topic):
    """A reply may quote a post of its own topic whose text the actor may read and that is public
    (published, not deleted): anything else does not exist for the quote (Http404)."""
    check_can_read_post_text(actor, post)
    if post.topic_id != topic.pk or post.status != Visibility.PUBLISHED or post.is_deleted:
        raise Http404(_("No such post."))


def forum_content_visibility(actor, forum, *, prefix: str = "") -> Q:
    """Topics or posts of `forum` that `actor` may see in a list (the content rule, with the forum's
    moderators as moderators)."""
    return content_visibility(actor, moderates=is_forum_moderator(actor, forum), prefix=prefix)


def check_can_start_topic(actor, forum):
    check_can_read_forum(actor, forum)
    check_can_post(actor)
    if forum.is_category:
        raise PermissionDenied(_("Topics go in a forum, not in a category."))


def check_can_reply(actor, topic):
    check_can_read_topic(actor, topic)
    check_can_post(actor)
    if topic.is_locked and not is_forum_moderator(actor, topic.forum):
        raise PermissionDenied(_("This topic is locked: it accepts no new replies."))


def check_can_edit_post(actor, post):
    check_can_read_topic(actor, post.topic)
    # An edit makes the editor's words public: a sanction stops it, a moderator's too (a silenced
    # CM may still hide, restore and decide, which publish no text of theirs).
    check_can_post(actor)
    if is_forum_moderator(actor, post.topic.forum):
        return
    if actor.pk != post.author_id:
        raise PermissionDenied(_("You can only edit your own posts."))
    if post.is_deleted:
        raise PermissionDenied(_("This post was deleted."))
    if post.topic.is_locked:
        raise PermissionDenied(_("This topic is locked."))


def check_can_delete_post(actor, post):
    check_can_read_topic(actor, post.topic)
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to take part."))
    check_not_sanctioned(actor)
    if actor.pk != post.author_id:
        raise PermissionDenied(_("You can only delete your own posts."))
    if post.is_deleted:
        raise PermissionDenied(_("This post is already deleted."))
    if post.position == 1 and _others_replied(post):
        # The opening post carries the topic (and its title): withdrawn, the topic goes with it,
        # which others' replies must not.
        raise PermissionDenied(_("Others have replied to this topic, so it stays: edit your opening post "
                                 "instead, or ask a moderator to remove it."))


def _others_replied(post) -> bool:
    Post = apps.get_model("forums", "Post")  # the core imports no content app: by name
    return Post.objects.filter(topic_id=post.topic_id, position__gt=1).exclude(author_id=post.author_id).exists()


def check_can_moderate_forum(actor, forum):
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in as a moderator to do this."))
    check_not_sanctioned(actor)
    if not is_forum_moderator(actor, forum):
        raise PermissionDenied(_("Only moderators of this forum can do this."))


def check_can_react(actor, post):
    check_can_read_topic(actor, post.topic)
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to like posts."))
    check_not_sanctioned(actor)
    if actor.pk == post.author_id:
        raise PermissionDenied(_("You cannot like your own post."))
    if post.is_deleted or post.status != Visibility.PUBLISHED:
        raise PermissionDenied(_("This post cannot be liked."))


def check_can_accept_answer(actor, topic):
    check_can_read_topic(actor, topic)
    if not topic.forum.is_questions:
        raise PermissionDenied(_("Only questions have accepted answers."))
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to accept an answer."))
    check_not_sanctioned(actor)
    if actor.pk != topic.author_id and not is_forum_moderator(actor, topic.forum):
        raise PermissionDenied(_("Only the author of the question or a moderator can accept an answer."))


def check_can_watch_forum(actor, forum):
    check_can_watch(actor, forum)
    if forum.is_category:
        raise PermissionDenied(_("Watch a forum, not a category."))


def check_can_watch(actor, forum):
    check_can_read_forum(actor, forum)
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to watch topics and forums."))
