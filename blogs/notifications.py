"""The spaces' notification kind and who a new post concerns (registered at startup)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from community import notifications
from community.models import Channel, User
from community.notifications import Kind, Line, Recipients, format_line
from community.permissions import readers_filter

from . import events
from .models import SpaceFollow, SpacePostPage


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


def new_post_recipients(event):
    """The space's followers who may read the site (active, not banned), never the author."""
    post = SpacePostPage.objects.live().public().filter(pk=event.target_id).first()
    if post is None:
        return None
    space = post.get_parent().specific
    followers = (User.objects.filter(readers_filter(0), space_follows__space_id=space.pk)
                 .exclude(pk=event.actor_id).values_list("pk", flat=True))
    return Recipients(kinds=dict.fromkeys(followers, SPACE_POST.name), group_key=f"space:{space.pk}",
                      data={"title": post.title, "url": post.url, "space": space.title,
                            "excerpt": post.excerpt})


notifications.register_source(events.SPACE_POST_PUBLISHED, None, new_post_recipients)

__all__ = ["SPACE_POST", "SpaceFollow"]
