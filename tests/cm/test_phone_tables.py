"""The workspace's wide tables (the talent board, the curation page) scroll sideways inside their box
on a phone instead of widening the page (measured at 390 px: the page stays 390 px wide)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from cm.models import TalentRun, TalentScore
from tests.cm.curation_fixtures import announce, cm_client, feature, forum, topic  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def tables_outside_a_scroller(page):
    """How many <table>s are not directly wrapped in a .table-scroll box."""
    return len(re.findall(r"<table", page)) - len(re.findall(r'class="table-scroll"[^>]*>\s*<table', page))


def test_the_board_and_the_curation_tables_scroll_in_their_box(cm_client, topic, feature, announce):  # noqa: F811
    TalentScore.objects.create(member=UserFactory(), period=90, score=3, media_keys="|text|")
    TalentRun.objects.create(finished_at="2026-01-01T03:15Z", members=1)
    feature("forums.topic", topic.pk)
    announce("Photo challenge")

    for url in ("/cm/talent/", "/cm/curation/"):
        page = cm_client.get(url).content.decode()
        assert "<table" in page and tables_outside_a_scroller(page) == 0, url

    css = (Path(settings.BASE_DIR) / "static" / "css" / "tribune.css").read_text()
    rule = re.search(r"\.table-scroll \{([^}]*)\}", css).group(1)
    assert "overflow-x: auto" in rule and "position: relative" in rule  # (its hidden labels scroll with it)
