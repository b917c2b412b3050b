"""The health dashboard at /cm/ and its CSV export, as a CM uses them: the figures shown and
downloaded, charts a browser may draw under the strict CSP (no style attribute), a bad period
answered with the default and a message, a fixed number of queries whatever the data size."""

import csv
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blogs.services import create_space, set_follow
from cm.health import export, selectors
from forums.models import Post, Topic
from moderation.models import Report
from tests.cm.test_health_figures import at, open_topic
from tests.factories import ForumFactory, UserFactory

DASHBOARD, CSV = reverse("cm:dashboard"), reverse("cm:dashboard_csv")


@pytest.fixture
def community(cm):
    """Three topics answered in 10, 30 and 180 minutes; a space whose owner titled it like a formula."""
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    forum = ForumFactory(name="Bikes")
    open_topic(forum, ana, at(2), (ben, 10))
    open_topic(forum, ben, at(3), (ana, 30))
    open_topic(forum, ana, at(4), (ben, 180))
    space = create_space(actor=cm, owner=ana, kind="column", title="=cmd|' /C calc'!A0")
    set_follow(actor=ben, space=space, following=True)
    return {"ana": ana, "ben": ben, "forum": forum, "space": space}


def test_the_dashboard_shows_the_figures_and_their_charts(community, client_as):
    response = client_as("cm").get(DASHBOARD, {"period": "7"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "Median time to a first reply" in html and "30 minutes" in html
    assert html.count("<svg") >= 6
    assert 'role="img"' in html and "<desc" in html
    # A tooltip per day, the value written on the busiest bar.
    assert re.search(r"<title>\w{3} \d{1,2} \w{3}: 2</title>", html)
    assert ">=cmd|&#x27; /C calc&#x27;!A0<" in html  # the space's title, escaped
    assert 'aria-current="page">Last 7 days' in html


def test_no_style_attribute_anywhere_the_csp_forbids_them(community, client_as):
    for period in ("7", "30", "90"):
        html = client_as("cm").get(DASHBOARD, {"period": period}).content.decode()
        assert not re.search(r"\sstyle\s*=", html, re.IGNORECASE), period
        svg = "".join(re.findall(r"<svg.*?</svg>", html, re.DOTALL))
        assert svg and "<style" not in svg
        # Coordinates stay numbers whatever the language (no "12,5" in French).
        assert not re.search(r'(?:x|y|width|height)="\d+,\d', svg)


def test_coordinates_are_not_localized_in_french(community, cm, client):
    cm.language = "fr"
    cm.save(update_fields=["language"])
    client.force_login(cm)
    html = client.get(DASHBOARD, {"period": "30"}).content.decode()

    assert not re.search(r'(?:x|y|width|height)="\d+,\d', html)


@pytest.mark.parametrize("bad", ["14", "abc", "-7", "7.0", "٧", "9" * 400, "<script>", "\x00"])
def test_a_bad_period_shows_the_default_with_a_message(bad, community, client_as):
    response = client_as("cm").get(DASHBOARD, {"period": bad})
    html = response.content.decode()

    assert response.status_code == 200
    assert "is not a period the dashboard offers" in html
    assert re.search(r'aria-current="page"[^>]*>Last 30 days', html)
    assert "<script>" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_no_period_is_the_default_without_a_message(community, client_as):
    html = client_as("cm").get(DASHBOARD).content.decode()

    assert "is not a period" not in html
    assert re.search(r'aria-current="page"[^>]*>Last 30 days', html)


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_has_the_same_figures_as_an_attachment(community, client_as):
    response = client_as("cm").get(CSV, {"period": "7"})
    rows = read_csv(response)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert re.fullmatch(r'attachment; filename="tribune-health-7d-\d{4}-\d{2}-\d{2}\.csv"',
                        response["Content-Disposition"])
    assert rows[0] == ["Section", "Figure", "Day or item", "Value", "Unit"]
    assert ["Forums", "Median time to a first reply", "", "0.50", "hours"] in rows
    assert ["Forums", "Topics opened", "", "3", "count"] in rows
    posts = [row for row in rows if row[1] == "Forum posts per day"]
    assert len(posts) == 7 and sum(int(row[3]) for row in posts) == 6
    assert posts[-1][2] == at(0).date().isoformat()


def test_the_csv_defuses_formulas(community, client_as):
    rows = read_csv(client_as("cm").get(CSV))

    followers = [row for row in rows if row[1] == "Followers per featured space"]
    assert followers == [["Featured spaces", "Followers per featured space", "'=cmd|' /C calc'!A0", "1", "count"]]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize(("cell", "safe"), [("=1+1", "'=1+1"), ("+33 6", "'+33 6"), ("-2", "'-2"),
                                            ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
                                            ("Voices", "Voices"), ("12", "12"), (None, "")])
def test_safe_cell(cell, safe):
    assert export.safe_cell(cell) == safe


def test_the_workspace_pages_are_linked_when_they_exist(community, client_as, monkeypatch):
    monkeypatch.setattr(selectors, "WORKSPACE_PAGES",
                        [("cm:not_built_yet", "Nowhere"), ("moderation:queue", "Review queue"),
                         ("moderation:member", "Needs an argument")])

    html = client_as("cm").get(DASHBOARD).content.decode()

    assert f'href="{reverse("moderation:queue")}"' in html
    assert "Nowhere" not in html and "Needs an argument" not in html


def test_the_csv_is_for_cms_only(community, client_as):
    assert client_as("visitor").get(CSV)["Location"] == f"{reverse('account_login')}?next={CSV}"
    assert client_as("member").get(CSV).status_code == 403
    assert client_as("contributor").get(CSV).status_code == 403


def grow(community, cm, scale):
    """`scale` more topics, replies, reports, spaces and followers."""
    members = [UserFactory() for _ in range(3)]
    forum = ForumFactory(name=f"More {scale}")
    for index in range(scale):
        open_topic(forum, members[index % 3], at(index % 20), (members[(index + 1) % 3], 5 + index))
        Report.objects.create(reporter=members[index % 3], kind="forums.post", object_id=index + 1, reason="spam",
                              created_at=at(index % 10), resolved_at=at(index % 10, 12), status="resolved")
    for index in range(max(scale // 5, 1)):
        space = create_space(actor=cm, owner=members[index % 3], kind="photo", title=f"Space {scale}-{index}")
        for member in members:
            set_follow(actor=member, space=space, following=True)


def queries_of(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


DASHBOARD_QUERIES = 22  # user, roles, session; the figures: members 3, forums 4, spaces 4, wiki 3, moderation 5


def test_a_fixed_number_of_queries_whatever_the_size(community, cm, client_as):
    client = client_as("cm")
    small = {url: queries_of(client, url) for url in (DASHBOARD, CSV)}
    grow(community, cm, 30)
    assert Topic.objects.count() > 30 and Post.objects.count() > 60
    large = {url: queries_of(client, url) for url in (DASHBOARD, CSV)}

    assert small == large
    assert small[DASHBOARD] == DASHBOARD_QUERIES


def test_the_figures_are_cached_briefly(community, client_as):
    client = client_as("cm")
    first = queries_of(client, DASHBOARD)
    with CaptureQueriesContext(connection) as again:
        client.get(DASHBOARD)

    assert len(again) < first - 10
    assert selectors.CACHE_SECONDS <= 300
