"""The dashboard's charts as a reader sees them: bars in proportion on a readable axis, values written
where they fit, durations in words."""

from datetime import date, timedelta

import pytest

from cm.health import charts


@pytest.mark.parametrize(("value", "top"), [(0, 1), (1, 1), (2, 2), (3, 5), (7, 10), (12, 20), (99, 100), (101, 200),
                                            (4321, 5000)])
def test_the_axis_top_is_a_round_number_at_or_above_the_peak(value, top):
    assert charts.nice_ceiling(value) == top


def test_bars_are_in_proportion_and_every_value_is_written_on_a_week():
    chart = charts.bar_chart("Posts", [0, 5, 10, 2, 0, 0, 1], date(2026, 3, 2))

    heights = [bar.height for bar in chart.bars]
    assert heights[2] == chart.baseline - chart.plot_top  # 10 is the top of the axis
    assert heights[1] == heights[2] / 2 and heights[0] == 0
    assert [bar.show_value for bar in chart.bars] == [False, True, True, True, False, False, True]
    assert [tick.value for tick in chart.ticks] == [0, 5, 10]
    assert chart.plot_top < chart.baseline
    assert chart.total == 18
    assert "18 in all from 2 Mar to 8 Mar" in chart.summary and "Wed 4 Mar with 10" in chart.summary
    assert [label.text for label in chart.dates] == ["2 Mar", "5 Mar", "8 Mar"]
    assert chart.rows[2] == ("Wed 4 Mar", 10)


def test_beyond_two_weeks_only_the_peak_is_written():
    values = [1] * 90
    values[40] = 7
    chart = charts.bar_chart("Posts", values, date(2026, 1, 1))

    assert [index for index, bar in enumerate(chart.bars) if bar.show_value] == [40]
    assert all(bar.x + bar.width <= chart.plot_right + 0.1 for bar in chart.bars)


def test_an_empty_period_says_so():
    chart = charts.bar_chart("Spam", [0] * 7, date(2026, 3, 2))

    assert chart.summary == "None from 2 Mar to 8 Mar."
    assert not any(bar.show_value for bar in chart.bars)


def test_small_multiples_share_one_scale():
    first, second = charts.small_multiples([("Help", [1, 2]), ("Café", [8, 0])], date(2026, 3, 2))

    assert first.ticks[-1].value == second.ticks[-1].value == 10


def test_rankings_shorten_long_labels_and_keep_them_whole_for_the_tooltip():
    chart = charts.rank_chart("Followers", [("A very long space title that goes on and on", 10, "+2"), ("Short", 5, "")])

    assert chart.bars[0].label.endswith("…") and len(chart.bars[0].label) <= 30
    assert chart.bars[0].full_label == "A very long space title that goes on and on"
    assert chart.bars[1].width == chart.bars[0].width / 2


@pytest.mark.parametrize(("seconds", "text"), [(None, "no data"), (20, "under a minute"), (60, "1 minute"),
                                               (59 * 60, "59 minutes"), (3 * 3600 + 5 * 60, "3 h 05 min"),
                                               (47 * 3600, "47 h 00 min"), (11 * 86400 + 3600, "11 days 1 h")])
def test_durations_in_words(seconds, text):
    assert charts.format_duration(None if seconds is None else timedelta(seconds=seconds)) == text
