"""The dashboard's charts, drawn on the server as SVG: this module computes the geometry (numbers only),
templates/cm/health/*.html draw it with SVG attributes and the classes of static/css/tribune.css —
never a style="" attribute (the Content-Security-Policy forbids inline styles).

Every chart carries its text: a <title> and a <desc> summing it up (read by screen readers through
aria-labelledby), a <title> tooltip per bar, the values written on the bars (every bar up to two
weeks, the peak beyond) and a table of the figures under it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import count

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WIDTH = 640
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 18, 24  # the plot's margins: axis labels, value labels, dates
LABEL_EVERY_BAR = 14  # up to two weeks every bar shows its value; beyond, the peak only
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str  # the day, "Mon 4 Mar"
    text_x: float
    text_y: float
    show_value: bool


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class DateLabel:
    x: float
    text: str
    anchor: str


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    summary: str
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    dates: list[DateLabel]
    plot_left: int
    plot_right: int
    plot_top: int
    baseline: float
    total: int
    rows: list[tuple[str, int]]  # (day, value), for the table under the chart


@dataclass(frozen=True)
class HBar:
    y: float
    width: float
    value: int
    label: str  # shortened to fit
    full_label: str
    note: str
    text_y: float
    value_x: float


@dataclass(frozen=True)
class RankChart:
    id: str
    title: str
    summary: str
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[HBar]


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10^k at or above `value` (the top of the axis)."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 5, 10) if step * magnitude >= value)


def day_label(day: date) -> str:
    return date_format(day, "D j M")


def short_day(day: date) -> str:
    return date_format(day, "j M")


def bar_chart(title: str, values: list[int], first_day: date, *, width: int = WIDTH, height: int = 150,
              scale: int | None = None) -> BarChart:
    """A bar per day; `scale` (the axis top) shared by small multiples so they compare at a glance."""
    days = [first_day + timedelta(days=offset) for offset in range(len(values))]
    top = scale or nice_ceiling(max(values, default=0))
    plot_height = height - TOP - BOTTOM
    plot_width = width - LEFT - RIGHT
    step = plot_width / max(len(values), 1)
    gap = min(step * 0.15, 4)
    peak = max(values, default=0)
    peak_index = values.index(peak) if values else -1
    bars = []
    for index, (day, value) in enumerate(zip(days, values, strict=True)):
        bar_height = round(plot_height * value / top, 1)
        x = round(LEFT + index * step + gap / 2, 1)
        show = value > 0 and (len(values) <= LABEL_EVERY_BAR or index == peak_index)
        bars.append(Bar(x=x, y=round(TOP + plot_height - bar_height, 1), width=round(step - gap, 1),
                        height=bar_height, value=value, label=day_label(day), text_x=round(x + (step - gap) / 2, 1),
                        text_y=round(TOP + plot_height - bar_height - 4, 1), show_value=show))
    ticks = [Tick(y=round(TOP + plot_height * (1 - fraction), 1), value=round(top * fraction))
             for fraction in ((0, 0.5, 1) if top >= 2 else (0, 1))]
    dates = []
    if days:
        dates.append(DateLabel(x=LEFT, text=short_day(days[0]), anchor="start"))
        if len(days) > 2:
            middle = len(days) // 2
            dates.append(DateLabel(x=round(LEFT + (middle + 0.5) * step, 1), text=short_day(days[middle]),
                                   anchor="middle"))
        if len(days) > 1:
            dates.append(DateLabel(x=width - RIGHT, text=short_day(days[-1]), anchor="end"))
    total = sum(values)
    if total:
        summary = ngettext("%(total)d in all from %(first)s to %(last)s; the busiest day was %(day)s with %(peak)d.",
                           "%(total)d in all from %(first)s to %(last)s; the busiest day was %(day)s with %(peak)d.",
                           total) % {"total": total, "first": short_day(days[0]), "last": short_day(days[-1]),
                                     "day": day_label(days[peak_index]), "peak": peak}
    else:
        summary = _("None from %(first)s to %(last)s.") % {"first": short_day(days[0]), "last": short_day(days[-1])} \
            if days else _("No data.")
    return BarChart(id=f"chart-{next(_ids)}", title=str(title), summary=summary, width=width, height=height,
                    bars=bars, ticks=ticks, dates=dates, plot_left=LEFT, plot_right=width - RIGHT,
                    plot_top=TOP, baseline=TOP + plot_height, total=total,
                    rows=[(bar.label, bar.value) for bar in bars])


def small_multiples(series: list[tuple[str, list[int]]], first_day: date) -> list[BarChart]:
    """One small bar chart per series, all on the scale of the largest day of any of them."""
    scale = nice_ceiling(max((max(values, default=0) for _label, values in series), default=0))
    return [bar_chart(label, values, first_day, width=360, height=120, scale=scale) for label, values in series]


def shorten(text: str, length: int = 30) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def rank_chart(title: str, rows: list[tuple[str, int, str]]) -> RankChart:
    """Horizontal bars, largest first: the label on the left, the value (and its note) after the bar."""
    label_width, value_room, bar_height, row_height = 210, 170, 16, 26
    top = nice_ceiling(max((value for _label, value, _note in rows), default=0))
    room = WIDTH - label_width - value_room
    bars = []
    for index, (label, value, note) in enumerate(rows):
        width = round(room * value / top, 1)
        y = index * row_height + 4
        bars.append(HBar(y=y, width=width, value=value, label=shorten(label), full_label=label, note=note,
                         text_y=y + bar_height - 3, value_x=round(label_width + width + 6, 1)))
    if rows:
        leader = rows[0]
        summary = _("%(count)d shown; the first is %(label)s with %(value)d.") % {
            "count": len(rows), "label": leader[0], "value": leader[1]}
    else:
        summary = _("No data.")
    return RankChart(id=f"chart-{next(_ids)}", title=str(title), summary=summary, width=WIDTH,
                     height=max(len(rows), 1) * row_height + 8, label_width=label_width, bar_height=bar_height,
                     bars=bars)


# --- A provider's figures, ready to draw ---------------------------------------------------------------

@dataclass(frozen=True)
class Shown:
    """A number as the dashboard shows it."""

    key: str
    label: str
    text: str
    help: str


@dataclass(frozen=True)
class Drawn:
    name: str
    title: str
    numbers: list[Shown]
    charts: list[BarChart]
    groups: list[tuple[str, list[BarChart]]]  # (group title, small multiples)
    ranks: list[RankChart]


def format_duration(value) -> str:
    if value is None:
        return _("no data")
    minutes = int(value.total_seconds() // 60)
    if minutes < 1:
        return _("under a minute")
    if minutes < 60:
        return ngettext("%(minutes)d minute", "%(minutes)d minutes", minutes) % {"minutes": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    days, hours = divmod(hours, 24)
    return ngettext("%(days)d day %(hours)d h", "%(days)d days %(hours)d h", days) % {"days": days, "hours": hours}


def format_number(number) -> str:
    if number.unit == "duration":
        return format_duration(number.value)
    return number_format(number.value, force_grouping=True)


def draw(section, first_day: date) -> Drawn:
    figures = section.figures
    alone = [daily for daily in figures.daily if not daily.group]
    groups: dict[str, list] = {}
    for daily in figures.daily:
        if daily.group:
            groups.setdefault(str(daily.group), []).append((str(daily.label), daily.values))
    return Drawn(
        name=section.name, title=str(section.title),
        numbers=[Shown(key=number.key, label=str(number.label), text=format_number(number), help=str(number.help))
                 for number in figures.numbers],
        charts=[bar_chart(daily.label, daily.values, first_day) for daily in alone],
        groups=[(title, small_multiples(series, first_day)) for title, series in groups.items()],
        ranks=[rank_chart(ranked.label, ranked.rows) for ranked in figures.ranked],
    )
