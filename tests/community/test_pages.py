"""Every page of the layout renders, error pages use it, lists paginate, and each page runs a fixed
number of SQL queries whatever the size of the community."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from community.models import Profile
from community.permissions.grants import grants_of
from community.views import MEMBERS_PER_PAGE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LAYOUT_PAGES = ["/", "/members/", "/members/maya/", "/forums/", "/contributors/", "/wiki/",
                "/search/?q=x"]
ACCOUNT_PAGES = ["/accounts/login/", "/accounts/signup/"]


def assert_uses_the_layout(response):
    html = response.content.decode()
    for href, label in [("/forums/", "Forums"), ("/contributors/", "Contributors"), ("/wiki/", "Wiki"),
                        ("/members/", "Members")]:
        assert f'href="{href}"' in html and f">{label}</a>" in html, f"no {label} link in the header"
    assert 'class="language-switch" action="/i18n/setlang/"' in html
    assert '<option value="fr"' in html


def add_members(count):
    """`count` more members, half of them with an avatar, so every branch of a member card runs."""
    users = UserFactory.create_batch(count)
    Profile.objects.filter(user__in=users[::2]).update(avatar="avatars/face.png")
    return users


# --- the layout ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", LAYOUT_PAGES + ACCOUNT_PAGES)
def test_every_page_renders_in_the_layout_for_a_visitor(client, member, url):
    response = client.get(url)

    assert response.status_code == 200
    assert_uses_the_layout(response)
    assert b'href="/accounts/signup/"' in response.content


@pytest.mark.parametrize("url", LAYOUT_PAGES)
def test_every_page_renders_in_the_layout_for_a_member(member_client, url):
    response = member_client.get(url)

    assert response.status_code == 200
    assert_uses_the_layout(response)
    assert b'href="/notifications/"' in response.content
    assert b'action="/accounts/logout/"' in response.content


@pytest.mark.parametrize("url", ACCOUNT_PAGES)
def test_a_logged_in_member_opening_login_or_signup_is_sent_home(member_client, url):
    response = member_client.get(url)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_notifications_ask_visitors_to_log_in(client, db):
    response = client.get("/notifications/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/notifications/"


def test_notifications_open_for_members(member_client):
    assert member_client.get("/notifications/").status_code == 200


@pytest.mark.parametrize("url", ["/moderation/", "/cm/"])
def test_a_visitor_opening_moderation_or_the_workspace_is_asked_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url", ["/moderation/", "/cm/"])
@pytest.mark.parametrize("role", ["member", "contributor"])
def test_moderation_and_the_workspace_are_closed_to_everyone_but_cms_and_staff(client_as, url, role):
    response = client_as(role).get(url)

    assert response.status_code == 403
    assert b"You can't do that here" in response.content
    assert_uses_the_layout(response)


@pytest.mark.parametrize("url", ["/moderation/", "/cm/"])
@pytest.mark.parametrize("role", ["cm", "staff"])
def test_moderation_and_the_workspace_open_for_cms_and_staff(client_as, url, role):
    response = client_as(role).get(url)

    assert response.status_code == 200
    assert b'href="/moderation/"' in response.content
    assert b'href="/cm/"' in response.content


def test_members_do_not_see_the_moderation_links(member_client):
    response = member_client.get("/")

    assert b'href="/moderation/"' not in response.content
    assert b'href="/cm/"' not in response.content


def test_an_unknown_address_is_a_404_page_in_the_layout(client, db):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert_uses_the_layout(response)


def test_the_500_page_renders_on_its_own():
    request = RequestFactory().get("/")

    response = server_error(request)

    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b'href="/"' in response.content


# --- pagination ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", ["abc", "999", "0", "-1"])
def test_a_members_page_that_does_not_exist_is_a_404_not_an_error(client, member, page):
    assert client.get(f"/members/?page={page}").status_code == 404


def test_the_members_list_shows_30_members_per_page(client, db):
    users = sorted(add_members(MEMBERS_PER_PAGE + 1), key=lambda user: user.username)

    first = client.get("/members/")
    second = client.get("/members/?page=2")

    assert len(first.context["page"].object_list) == MEMBERS_PER_PAGE
    assert b'rel="next" href="?page=2"' in first.content
    assert second.status_code == 200
    assert [m.username for m in second.context["page"].object_list] == [users[-1].username]
    assert b'rel="prev" href="?page=1"' in second.content


def test_thirty_members_fit_on_one_page(client, db):
    add_members(MEMBERS_PER_PAGE)

    assert b'rel="next"' not in client.get("/members/").content
    assert client.get("/members/?page=2").status_code == 404


def test_the_member_search_keeps_the_query_in_the_page_links(client, db):
    add_members(MEMBERS_PER_PAGE + 5)

    response = client.get("/members/?q=member")

    assert b'href="?q=member&amp;page=2"' in response.content


# --- query counts -----------------------------------------------------------------------------------------
# Measured once and pinned. A visitor: the page's own reads. A member: + user and the member's
# roles (permissions.state_for); the session is read through the cache (cached_db). The profile
# page also reads the shown member's roles.
QUERIES = {
    # newest members (with profiles), counts, latest topics; the featured spaces: Wagtail's view
    # restrictions (for spaces and for their posts: `.public()`), the spaces with their latest post's id;
    # the CMs' curation: the current announcements, the current features (none here: no item read;
    # tests/cm/test_curation_home.py counts them with features of every kind, at two sizes); the
    # wiki's recently updated pages (one query)
    ("/", "visitor"): 9,
    ("/", "member"): 10,   # + the user (their grants come from the cache: permissions.grants)
    ("/members/", "visitor"): 3,     # count, page (with profiles), the page's skills
    ("/members/", "member"): 4,
    # member with profile, their skills, the open activity tab's count (nothing to list: no page);
    # their role badges come from the cached map (community.badges)
    ("/members/sam/", "visitor"): 3,
    ("/members/sam/", "member"): 4,
}


@pytest.mark.parametrize("extra_members", [3, 40])
@pytest.mark.parametrize(("url", "who"), list(QUERIES))
def test_pages_run_a_fixed_number_of_queries_whatever_the_number_of_members(
    client_as, cm, member, django_assert_num_queries, url, who, extra_members
):
    add_members(extra_members)
    client = client_as(who)
    if who != "visitor":  # warm: a member's grants are read once, then come from the cache
        grants_of(member.pk)

    with django_assert_num_queries(QUERIES[(url, who)]):
        response = client.get(url)

    assert response.status_code == 200

