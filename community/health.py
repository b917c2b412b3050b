"""The community health figures (the CM workspace's dashboard at /cm/), brought by the apps.

The core imports no content app: each app registers a provider in its ready() (forums: posts per day
per area and the time to a first reply; blogs: the featured spaces' followers and posts; moderation:
reports, decisions and spam; the core itself: new and active members). A provider is a function of
the period giving a `Figures` — headline numbers, one value per day, labelled rankings — in a FIXED
number of queries whatever the data size (aggregate in the database: `daily_counts`, `median_duration`):

    health.register_provider("forums", title=_("Forums"), figures=forum_figures, order=20)

    def forum_figures(period: health.Period) -> health.Figures:
        return health.Figures(numbers=[health.Number("forums.topics", _("Topics opened"), 12)], …)

The dashboard (cm/health/) calls `collect(period)`, draws the charts and writes the CSV; a provider
never renders anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import content
from .models import User
from .registries import unknown

PERIODS = (7, 30, 90)  # days: what the dashboard offers
DEFAULT_PERIOD = 30

COUNT = "count"
DURATION = "duration"  # a timedelta (None: nothing to measure)


@dataclass(frozen=True)
class Period:
    """The last `days` days, today included: from local midnight `days - 1` days ago to `end` (now)."""

    days: int
    start: datetime
    end: datetime

    @classmethod
    def last(cls, days: int, *, now: datetime | None = None) -> Period:
        now = now or timezone.now()
        first_day = timezone.localtime(now).date() - timedelta(days=days - 1)
        start = timezone.make_aware(datetime.combine(first_day, time.min))
        return cls(days=days, start=start, end=now)

    @property
    def dates(self) -> list[date]:
        first = timezone.localtime(self.start).date()
        return [first + timedelta(days=offset) for offset in range(self.days)]

    def q(self, field_name: str) -> dict:
        """Filter keyword arguments: `field_name` within the period."""
        return {f"{field_name}__gte": self.start, f"{field_name}__lte": self.end}


@dataclass(frozen=True)
class Number:
    """A headline figure: a count, or a duration (a timedelta; None when nothing was measured)."""

    key: str
    label: str
    value: int | timedelta | None
    unit: str = COUNT
    help: str = ""


@dataclass(frozen=True)
class Daily:
    """One value per day of the period, in order (`Period.dates`). Series sharing a `group` (a title:
    "Posts per day, by area") are drawn together, as small multiples on one scale."""

    key: str
    label: str
    values: list[int]
    group: str = ""


@dataclass(frozen=True)
class Ranked:
    """Labelled values, largest first (followers per space): `rows` are (label, value, note)."""

    key: str
    label: str
    rows: list[tuple[str, int, str]]


@dataclass(frozen=True)
class Figures:
    numbers: list[Number] = field(default_factory=list)
    daily: list[Daily] = field(default_factory=list)
    ranked: list[Ranked] = field(default_factory=list)


@dataclass(frozen=True)
class Provider:
    name: str
    title: str
    figures: Callable[[Period], Figures]
    order: int = 100


@dataclass(frozen=True)
class Section:
    """A provider's figures for one period, as the dashboard shows them."""

    name: str
    title: str
    figures: Figures


_providers: dict[str, Provider] = {}


def register_provider(name: str, *, title, figures: Callable[[Period], Figures], order: int = 100) -> Provider:
    provider = Provider(name=name, title=title, figures=figures, order=order)
    _providers[name] = provider
    return provider


def providers() -> list[Provider]:
    return sorted(_providers.values(), key=lambda provider: (provider.order, provider.name))


def get_provider(name: str) -> Provider | None:
    if name not in _providers:
        unknown(f"unknown health provider {name!r}: register it with community.health.register_provider()")
        return None
    return _providers[name]


def collect(period: Period) -> list[Section]:
    """Every provider's figures for the period (the sum of their fixed query counts)."""
    return [Section(name=provider.name, title=provider.title, figures=provider.figures(period))
            for provider in providers()]


# --- Aggregating in the database (what providers build on) ------------------------------------------

def daily_counts(queryset, field_name: str, period: Period, *, by: str | None = None):
    """Rows of `queryset` whose `field_name` falls in the period, counted per local day — one GROUP BY
    query. Without `by`: a list of counts, one per day of the period. With `by` (a field path): a
    dict {value of `by`: [counts per day]} for the values that occur."""
    rows = (queryset.filter(**period.q(field_name))
            .annotate(health_day=TruncDate(field_name, tzinfo=timezone.get_current_timezone()))
            .values(*([by] if by else []), "health_day")
            .annotate(health_count=Count("pk"))
            .order_by())
    index = {day: position for position, day in enumerate(period.dates)}
    if by is None:
        values = [0] * period.days
        for row in rows:
            if row["health_day"] in index:
                values[index[row["health_day"]]] += row["health_count"]
        return values
    grouped: dict = {}
    for row in rows:
        if row["health_day"] in index:
            values = grouped.setdefault(row[by], [0] * period.days)
            values[index[row["health_day"]]] += row["health_count"]
    return grouped


class _PercentileMedian(Aggregate):
    """PostgreSQL's ordered-set aggregate: the median of an interval (or number) column."""

    function = "PERCENTILE_CONT"
    name = "median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def duration(end, start):
    """`end - start` as a database duration (both expressions or field names)."""
    end = F(end) if isinstance(end, str) else end
    start = F(start) if isinstance(start, str) else start
    return ExpressionWrapper(end - start, output_field=DurationField())


def median_duration(queryset, end, start) -> tuple[timedelta | None, int]:
    """(the median of `end - start` over the rows of `queryset` where `end` is set, how many rows) —
    one query either way. PostgreSQL: `percentile_cont(0.5)`; elsewhere (SQLite in the unit tests) the
    portable form: the middle row(s) picked by ROW_NUMBER() over the ordered durations."""
    rows = queryset.annotate(health_duration=duration(end, start)).filter(health_duration__isnull=False)
    if connection.vendor == "postgresql":
        result = rows.aggregate(median=_PercentileMedian("health_duration"), count=Count("pk"))
        return result["median"], result["count"]
    sql, params = rows.values("health_duration").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT AVG(d), MAX(c) FROM (SELECT health_duration AS d, ROW_NUMBER() OVER (ORDER BY health_duration)"
            " AS r, COUNT(*) OVER () AS c FROM (" + sql + ") durations) ranked WHERE 2 * r >= c AND 2 * r <= c + 2",
            params,
        )
        middle, count = cursor.fetchone()
    if middle is None:
        return None, 0
    return _as_timedelta(middle), count


def _as_timedelta(value) -> timedelta:
    if isinstance(value, timedelta):
        return value
    return timedelta(microseconds=float(value))  # SQLite's django_timestamp_diff: microseconds


# --- The core's own figures: members -----------------------------------------------------------------

def member_figures(period: Period) -> Figures:
    """New members (joined in the period) and active members: who logged in during the period or
    wrote anything on the spine (every content kind that declares its creation field — forum posts,
    space posts, comments…; a profile edit is not activity). Both count the same members (active
    accounts, not banned): the active are among the total. Three queries."""
    members = User.objects.filter(is_active=True, banned_at__isnull=True)
    totals = members.aggregate(total=Count("pk"), new=Count("pk", filter=Q(**period.q("date_joined"))))
    active = [members.filter(**period.q("last_login")).values("pk").order_by()]
    for kind in content.kinds():
        if kind.created_field and kind.name != "community.profile":
            active.append(kind.model.objects.filter(**period.q(kind.created_field))
                          .filter(**{f"{kind.author_field}__is_active": True,  # the counted members only
                                     f"{kind.author_field}__banned_at__isnull": True})
                          .values(kind.author_field).order_by())
    active_count = active[0].union(*active[1:]).count() if len(active) > 1 else active[0].count()
    return Figures(
        numbers=[
            Number("members.total", _("Members"), totals["total"]),
            Number("members.new", _("New members"), totals["new"]),
            Number("members.active", _("Active members"), active_count,
                   help=_("Logged in or wrote something (a post, a comment…) during the period.")),
        ],
        daily=[Daily("members.joined", _("New members per day"), daily_counts(members, "date_joined", period))],
    )


register_provider("community", title=_("Members"), figures=member_figures, order=10)
