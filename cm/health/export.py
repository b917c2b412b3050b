"""The dashboard's figures as CSV: one row per figure, per day of a series, per item of a ranking.

Safe to open in a spreadsheet: a cell that starts with = + - @ (or a tab or carriage return) would
be read as a formula — a space's title is written by its owner — so it is prefixed with an apostrophe
(OWASP's advice against CSV injection). Durations are written in hours."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from community import health

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def hours(value) -> str:
    return "" if value is None else f"{value.total_seconds() / 3600:.2f}"


def rows(dashboard) -> list[list[str]]:
    table = [[_("Section"), _("Figure"), _("Day or item"), _("Value"), _("Unit")]]
    dates = [day.isoformat() for day in dashboard.period.dates]
    count, in_hours = _("count"), _("hours")
    for section in dashboard.sections:
        title, figures = str(section.title), section.figures
        for number in figures.numbers:
            if number.unit == health.DURATION:
                table.append([title, str(number.label), "", hours(number.value), in_hours])
            else:
                table.append([title, str(number.label), "", str(number.value), count])
        for daily in figures.daily:
            label = f"{daily.group} — {daily.label}" if daily.group else str(daily.label)
            table.extend([title, label, day, str(value), count] for day, value in zip(dates, daily.values, strict=True))
        for ranked in figures.ranked:
            table.extend([title, str(ranked.label), item, str(value), count] for item, value, _note in ranked.rows)
    return [[safe_cell(cell) for cell in row] for row in table]


def as_csv(dashboard) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows(dashboard))
    return buffer.getvalue()


def filename(dashboard) -> str:
    return f"tribune-health-{dashboard.period.days}d-{dashboard.period.end:%Y-%m-%d}.csv"
