"""A space's page is where its holders find the way to write in it: a cast member who accepts lands
there, told to "write your first post in the editors' area", and nothing else on the site links to
/cms/. Its owner and co-authors see "Write a post" (Wagtail's editor, a new post in this space) and
"Your posts"; readers, visitors and the holders of a retired space (an archive) do not."""

import pytest
from django.urls import reverse

from blogs.casting import retire
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def links(space):
    return (reverse("wagtailadmin_pages:add", args=["blogs", "spacepostpage", space.pk]),
            reverse("wagtailadmin_explore", args=[space.pk]))


def test_the_owner_and_a_co_author_see_the_way_to_write(client, make_space, alice):
    co_author = UserFactory(username="cora")
    space = make_space(alice, title="Alice's column")
    space.co_authors.add(co_author)
    space.save_revision().publish()
    write, explore = links(space)
    for holder in (alice, co_author):
        client.force_login(holder)
        page = client.get(space.url).content.decode()
        assert f'href="{write}">Write a post</a>' in page, holder
        assert f'href="{explore}">Your posts</a>' in page
        # The link leads to a post's editor, open to them.
        assert client.get(write).status_code == 200


def test_readers_and_visitors_do_not(client, space_a, member):
    write, explore = links(space_a)
    for who in (None, member):
        if who is not None:
            client.force_login(who)
        page = client.get(space_a.url).content.decode()
        assert write not in page and explore not in page and "Write a post" not in page


def test_not_in_a_retired_space(client, space_a, alice, cm):
    retire(actor=cm, space_id=space_a.pk)
    client.force_login(alice)
    page = client.get(space_a.url).content.decode()
    assert "Archive" in page and "Write a post" not in page
