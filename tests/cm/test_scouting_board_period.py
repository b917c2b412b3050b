"""The talent board's period list shows the period the board ranks over: 90 days when none was
chosen (the board's default), on the first visit and after filtering by something else — not the
list's first entry (30 days), which a CM would read as the board's period, and which the next
"Filter" would silently switch to."""

import re

import pytest

from cm.models import TalentRun, TalentScore
from community.models import MemberSkill
from tests.factories import UserFactory

BOARD = "/cm/talent/"


def selected_period(page: str) -> list[str]:
    select = re.search(r'<select name="period"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option value="([0-9]+)"[^>]*selected', select)


@pytest.fixture
def scored(db):
    maya = UserFactory(username="maya")
    MemberSkill.objects.create(user=maya, skill="podcast")
    for period in (30, 90):
        TalentScore.objects.create(member=maya, period=period, score=12, media_keys="|text|")
    TalentRun.objects.create(finished_at="2026-01-01T03:15Z", members=1)
    return maya


@pytest.mark.parametrize("query", [{}, {"skill": "podcast"}, {"skill": "podcast", "period": ""}])
def test_the_period_shown_is_the_one_the_board_uses(query, scored, cm, client):
    client.force_login(cm)
    page = client.get(BOARD, query).content.decode()
    assert "Members ranked over 90 days" in page and "@maya<" in page
    assert selected_period(page) == ["90"]


def test_a_chosen_period_stays_chosen(scored, cm, client):
    client.force_login(cm)
    page = client.get(BOARD, {"period": "30", "skill": "podcast"}).content.decode()
    assert "Members ranked over 30 days" in page and selected_period(page) == ["30"]
