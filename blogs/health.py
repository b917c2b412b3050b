"""What blogs brings to the CM workspace's health registry (registered at import, from blogs's ready()):
the featured spaces' followers (all, and new during the period), posts published per day in the
spaces and the comments they drew — four queries whatever the number of spaces, posts, followers."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from community import health
from community.models import Visibility

from .models import Comment, SpaceFollow, SpacePage, SpacePostPage

MOST_FOLLOWED = 20  # spaces shown in the followers' chart


def space_figures(period: health.Period) -> health.Figures:
    in_period = Q(**{f"follows__{key}": value for key, value in period.q("created_at").items()})
    spaces = (SpacePage.objects.live().annotate(followers=Count("follows"), new=Count("follows", filter=in_period))
              .order_by("-followers", "title").values_list("title", "followers", "new")[:MOST_FOLLOWED])
    follows = SpaceFollow.objects.filter(space__live=True).aggregate(
        total=Count("pk"), new=Count("pk", filter=Q(**period.q("created_at"))))
    posts = health.daily_counts(SpacePostPage.objects.live().filter(status=Visibility.PUBLISHED),
                                "first_published_at", period)
    comments = Comment.objects.filter(status=Visibility.PUBLISHED, is_deleted=False,
                                      **period.q("created_at")).count()
    return health.Figures(
        numbers=[
            health.Number("spaces.followers", _("Followers of featured spaces"), follows["total"]),
            health.Number("spaces.new_followers", _("New followers"), follows["new"]),
            health.Number("spaces.posts", _("Posts published in the spaces"), sum(posts)),
            health.Number("spaces.comments", _("Comments on space posts"), comments),
        ],
        daily=[health.Daily("spaces.posts", _("Space posts published per day"), posts)],
        ranked=[health.Ranked("spaces.followers", _("Followers per featured space"), [
            (title, followers, ngettext("+%(count)d during the period", "+%(count)d during the period", new)
             % {"count": new} if new else "")
            for title, followers, new in spaces])],
    )


health.register_provider("spaces", title=_("Featured spaces"), figures=space_figures, order=30)
