"""The tree of the contributor spaces is fenced (index > spaces > posts, one index), and a space is
made only by `create_space`, only by a community manager in good standing."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from blogs.models import ContributorsIndexPage, SpacePage, SpacePostPage
from blogs.services import create_space, ensure_contributors_index
from tests.factories import UserFactory


@pytest.fixture
def index(db):
    return ContributorsIndexPage.objects.get()


def test_the_index_is_the_sites_root_and_stays_alone(index):
    assert Site.objects.get(is_default_site=True).root_page_id == index.pk
    assert ensure_contributors_index().pk == index.pk  # idempotent: run after every migrate
    assert ContributorsIndexPage.objects.count() == 1
    assert not ContributorsIndexPage.can_create_at(Page.get_first_root_node())  # max_count = 1


def test_spaces_go_only_under_the_index_and_posts_only_in_a_space(index, make_space):
    space = make_space()
    root = Page.get_first_root_node()
    assert SpacePage.can_create_at(index)
    assert not SpacePage.can_create_at(root)
    assert not SpacePage.can_create_at(space)
    assert SpacePostPage.can_create_at(space)
    assert not SpacePostPage.can_create_at(index)
    assert not SpacePostPage.can_create_at(root)
    assert index.specific_class.allowed_subpage_models() == [SpacePage]
    assert SpacePostPage.allowed_subpage_models() == []


def test_a_cm_cannot_put_a_post_under_the_index_through_the_admin(client, cm, index):
    client.force_login(cm)
    url = reverse("wagtailadmin_pages:add", args=["blogs", "spacepostpage", index.pk])
    response = client.post(url, {"title": "Stray", "slug": "stray"})
    assert response.status_code in (302, 403)
    assert not SpacePostPage.objects.exists()


@pytest.mark.parametrize("kind", ["column", "video", "photo", "podcast"])
def test_a_cm_casts_a_member_into_a_space(client, cm, kind):
    owner = UserFactory(username="ines")
    space = create_space(actor=cm, owner=owner, kind=kind, title="Ines at dawn", tagline="Early pictures")

    space.refresh_from_db()
    assert space.live and space.slug == "ines-at-dawn" and space.space_owner == owner
    assert space.get_parent().specific_class is ContributorsIndexPage
    assert owner.groups.filter(name="Contributors").exists()
    page = client.get("/contributors/ines-at-dawn/")
    assert page.status_code == 200 and b"Early pictures" in page.content
    listing = client.get("/contributors/")
    assert b"Ines at dawn" in listing.content and b'href="/contributors/ines-at-dawn/"' in listing.content


def test_a_second_space_with_the_same_title_gets_its_own_address(make_space):
    first, second = make_space(title="Night shift"), make_space(title="Night shift")
    assert (first.slug, second.slug) == ("night-shift", "night-shift-2")
    assert make_space(title="!!!").slug == "space"  # a title that slugifies to nothing


def test_an_unknown_kind_is_refused(cm, member):
    with pytest.raises(ValueError):
        create_space(actor=cm, owner=member, kind="blog-o-rama", title="Mine")
    assert not SpacePage.objects.exists()


@pytest.mark.parametrize("role", ["member", "contributor", "visitor"])
def test_only_community_managers_cast(as_role, role, member):
    with pytest.raises(PermissionDenied):
        create_space(actor=as_role(role), owner=member, kind="column", title="Mine")
    assert not SpacePage.objects.exists()
    assert not Group.objects.filter(name__startswith="Space:").exists()


@pytest.mark.parametrize("sanction", ["banned_at", "suspended_until"])
def test_a_sanctioned_cm_cannot_cast(cm, member, sanction):
    setattr(cm, sanction, timezone.now() + datetime.timedelta(days=3 if sanction == "suspended_until" else 0))
    cm.save()
    with pytest.raises(PermissionDenied):
        create_space(actor=cm, owner=member, kind="column", title="Mine")
    assert not SpacePage.objects.exists()
    assert not member.groups.filter(name="Contributors").exists()
