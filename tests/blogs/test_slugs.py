"""A space or a post whose slug is one of its parent's routes would be unreachable (a space titled
"tags" served by the index's tag pages): such a slug gets a suffix, and the editor refuses it."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from blogs.models import ContributorsIndexPage, SpacePage, SpacePostPage
from tests.blogs.test_admin import space_form

pytestmark = pytest.mark.django_db


def route_heads(page_class):
    return {re.split(r"[/<^]", str(pattern.pattern).lstrip("^"))[0] for pattern in page_class.get_subpage_urls()} - {""}


def test_the_reserved_slugs_cover_every_route_of_the_parent():
    assert route_heads(ContributorsIndexPage) <= SpacePage.reserved_slugs
    assert route_heads(SpacePage) <= SpacePostPage.reserved_slugs


def test_a_space_titled_tags_gets_another_slug_and_its_feed_and_posts_are_reachable(client, make_space, add_post):
    space = make_space(title="Tags")
    assert space.slug != "tags"
    post = add_post(space, "First")
    assert client.get(space.url).status_code == 200
    assert client.get(space.url + "feed/").status_code == 200
    assert client.get(post.url).status_code == 200


def test_a_post_titled_feed_gets_another_slug(client, make_space, add_post):
    space = make_space()
    post = add_post(space, "Feed")
    assert post.slug != "feed"
    assert client.get(post.url).status_code == 200


def test_the_editor_refuses_a_reserved_slug_with_a_clear_message(client, cm, make_space):
    space = make_space()
    space.slug = "tags"
    with pytest.raises(ValidationError, match="site's own pages"):
        space.full_clean()
    client.force_login(cm)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[space.pk]),
                           space_form(space, slug="tags", **{"action-publish": "publish"}))
    assert response.status_code == 200  # the form again
    assert "site&#x27;s own pages" in response.content.decode()
    assert SpacePage.objects.get(pk=space.pk).slug != "tags"
