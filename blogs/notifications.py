"""The spaces' notification kinds and who their events concern (registered at startup):
new posts for a space's followers; new comments for the post's authors, replies for the parent
comment's author, mentions; and, for the space's holders, comments awaiting their approval — an
email with signed one-click Approve / Reject links."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from community import markup, notifications
from community.events import CONTENT_CREATED, CONTENT_PUBLISHED
from community.models import Channel, SpamStatus, User, Visibility
from community.notifications import MENTION, Kind, Line, Recipients, format_line
from community.notifications.delivery import absolute
from community.notifications.models import Notification
from community.permissions import readers_filter

from . import events
from .comments import review_token
from .models import Comment, SpaceFollow, readable_posts


def _line(line: Line):
    space = line.data.get("space", "")
    if line.others:
        return format_line(ngettext_lazy("%(count)d new post in %(space)s, the latest “%(title)s”",
                                         "%(count)d new posts in %(space)s, the latest “%(title)s”", "count"),
                           line, count=line.others + 1, space=space)
    return format_line(_("<strong>%(actor)s</strong> published “%(title)s” in %(space)s"), line, space=space)


SPACE_POST = notifications.register_kind(Kind(
    "space_post", _("A new post in a space I follow"), Channel.DAILY, priority=15, order=45,
    line_fn=_line, subject=_("%(actor)s published “%(title)s”")))
POST_COMMENT = notifications.register_kind(Kind(
    "post_comment", _("A comment on my post in a space"), Channel.IMMEDIATE, priority=40, order=46,
    read_with_content=True, message=_("<strong>%(actor)s</strong> commented on “%(title)s”"),
    message_others=ngettext_lazy("<strong>%(actor)s</strong> and %(count)d other commented on “%(title)s”",
                                 "<strong>%(actor)s</strong> and %(count)d others commented on “%(title)s”", "count"),
    subject=_("%(actor)s commented on “%(title)s”")))
COMMENT_REPLY = notifications.register_kind(Kind(
    "comment_reply", _("A reply to my comment"), Channel.IMMEDIATE, priority=45, order=47,
    read_with_content=True, message=_("<strong>%(actor)s</strong> replied to your comment on “%(title)s”"),
    message_others=ngettext_lazy(
        "<strong>%(actor)s</strong> and %(count)d other replied to your comment on “%(title)s”",
        "<strong>%(actor)s</strong> and %(count)d others replied to your comment on “%(title)s”", "count"),
    subject=_("%(actor)s replied to your comment on “%(title)s”")))


def _review_actions(notification, user):
    comment_id = notification.data.get("comment")
    if not isinstance(comment_id, int):
        return []
    link = absolute(reverse("blogs:comment_review_link",
                            args=[review_token(comment_id=comment_id, user_id=user.pk)]))
    return [(_("Approve or reject"), link)]


COMMENT_WAITING = notifications.register_kind(Kind(
    "comment_waiting", _("A comment awaiting my approval"), Channel.IMMEDIATE, priority=60, order=48,
    about_held=True, email_actions=_review_actions,
    description=_("On your space's posts, when comments are moderated. The email has a one-click "
                  "link to approve or reject."),
    message=_("<strong>%(actor)s</strong>'s comment on “%(title)s” awaits your approval"),
    message_others=ngettext_lazy(
        "<strong>%(actor)s</strong> and %(count)d other wait for your approval on “%(title)s”",
        "<strong>%(actor)s</strong> and %(count)d others wait for your approval on “%(title)s”", "count"),
    subject=_("A comment by %(actor)s awaits your approval on “%(title)s”")))


def new_post_recipients(event):
    """The space's followers who may read the site (active, not banned), never the author."""
    post = readable_posts().filter(pk=event.target_id).first()
    if post is None:
        return None
    space = post.space
    followers = (User.objects.filter(readers_filter(0), space_follows__space_id=space.pk)
                 .exclude(pk=post.owner_id).exclude(pk=event.actor_id).values_list("pk", flat=True))
    return Recipients(kinds=dict.fromkeys(followers, SPACE_POST.name), group_key=f"space:{space.pk}",
                      data={"title": post.title, "url": post.url, "space": space.title,
                            "excerpt": post.excerpt})


def new_comment_recipients(event):
    """A published comment: the parent comment's author (a reply), the post's owner and the space's
    holders, the members it mentions — each once, for the strongest reason, never its author. A
    comment waiting for the space's holders: only they are told, with the links to decide."""
    comment = Comment.objects.select_related("post", "space", "parent").filter(pk=event.target_id).first()
    if comment is None or comment.is_deleted or comment.spam_status == SpamStatus.SPAM:
        return None
    post = comment.post
    if not post.live or post.status != Visibility.PUBLISHED or post.is_restricted:
        return None
    holders = set(comment.space.holder_ids)  # who holds the space now (not a former owner of the post)
    data = {"title": post.title, "url": f"{post.url}#comment-{comment.number}",
            "excerpt": markup.excerpt(comment.body_html, 160), "comment": comment.pk}
    if comment.status == Visibility.PENDING:
        if not comment.awaiting_holder:
            return None  # held by moderation (a watched word, a new member): the CMs' queue says it
        told = dict.fromkeys(holders, COMMENT_WAITING.name)
        data["url"] = reverse("blogs:waiting_comments")
    elif comment.status == Visibility.PUBLISHED:
        told = dict.fromkeys((event.payload or {}).get("mentions", []), MENTION.name)
        told.update(dict.fromkeys(holders, POST_COMMENT.name))
        if comment.parent is not None:
            told[comment.parent.author_id] = COMMENT_REPLY.name
        if event.kind == CONTENT_PUBLISHED:
            # Released after waiting: whoever was asked to approve it has seen it already.
            for pk in _asked_to_approve(comment):
                if told.get(pk) == POST_COMMENT.name:
                    del told[pk]
    else:
        return None
    told.pop(comment.author_id, None)
    allowed = set(User.objects.filter(readers_filter(0), pk__in=told).values_list("pk", flat=True))
    return Recipients(kinds={pk: kind for pk, kind in told.items() if pk in allowed},
                      group_key=f"post-comments:{post.pk}", data=data)


def _asked_to_approve(comment) -> set[int]:
    return set(Notification.objects.filter(
        kind=COMMENT_WAITING.name, target_type=ContentType.objects.get_for_model(Comment),
        target_id=comment.pk).values_list("recipient_id", flat=True))


# "content.created" also serves "content.published" (a held post or comment released later).
notifications.register_source(CONTENT_CREATED, events.POST_KIND, new_post_recipients)
notifications.register_source(CONTENT_CREATED, events.COMMENT_KIND, new_comment_recipients)
notifications.register_source(events.SPACE_POST_PUBLISHED, None, new_post_recipients)

__all__ = ["COMMENT_REPLY", "COMMENT_WAITING", "POST_COMMENT", "SPACE_POST", "SpaceFollow"]
