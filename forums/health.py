"""What forums brings to the CM workspace's health registry (registered at import, from forums's ready()):
posts per day per area (an area is a top-level category of the tree: the forums sharing its mptt
`tree_id`), topics opened, and the median time to a first reply — four queries whatever the size of
the forums (the tree itself is read once: a few dozen rows)."""

from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from community import health
from community.models import Visibility

from .models import Forum, Post, Topic


def first_reply_at():
    """When a topic first got a published reply by someone other than its author (a subquery on the
    (topic, position) index: the first such reply by position is the earliest)."""
    replies = (Post.objects.filter(topic=OuterRef("pk"), position__gt=1, status=Visibility.PUBLISHED)
               .exclude(author=OuterRef("author")).order_by("position").values("created_at")[:1])
    return Subquery(replies)


def forum_figures(period: health.Period) -> health.Figures:
    nodes = list(Forum.objects.order_by("tree_id", "lft").values_list("pk", "tree_id", "level", "name"))
    areas = [(tree_id, pk, name) for pk, tree_id, level, name in nodes if level == 0]
    area_of = {pk: tree_id for pk, tree_id, _level, _name in nodes}
    posts = Post.objects.filter(status=Visibility.PUBLISHED, is_deleted=False)
    per_area: dict[int, list[int]] = {}
    for forum_id, values in health.daily_counts(posts, "created_at", period, by="topic__forum_id").items():
        area = per_area.setdefault(area_of.get(forum_id), [0] * period.days)
        per_area[area_of.get(forum_id)] = [a + b for a, b in zip(area, values, strict=True)]
    total = [sum(day) for day in zip(*per_area.values(), strict=True)] if per_area else [0] * period.days
    topics = Topic.objects.filter(status=Visibility.PUBLISHED, **period.q("created_at"))
    opened = topics.aggregate(count=Count("pk"))["count"]
    median, answered = health.median_duration(topics.annotate(first_reply=first_reply_at()),
                                              "first_reply", "created_at")
    return health.Figures(
        numbers=[
            health.Number("forums.posts", _("Forum posts"), sum(total)),
            health.Number("forums.topics", _("Topics opened"), opened),
            health.Number("forums.unanswered", _("Topics still without a reply"), opened - answered,
                          help=_("Opened during the period; nobody but their author has replied yet.")),
            health.Number("forums.first_reply", _("Median time to a first reply"), median, unit=health.DURATION,
                          help=_("Over the topics opened during the period that got a reply from someone else.")),
        ],
        daily=[health.Daily("forums.posts", _("Forum posts per day"), total)]
        + [health.Daily(f"forums.posts.area.{pk}", name, per_area.get(tree_id, [0] * period.days),
                        group=_("Forum posts per day, by area")) for tree_id, pk, name in areas],
    )


health.register_provider("forums", title=_("Forums"), figures=forum_figures, order=20)
