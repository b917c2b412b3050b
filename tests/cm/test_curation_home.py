"""What the community sees of curation on the home page: the CMs' featured items in their order and
within their dates (what the viewer may not read left out), the banners — a partner's or a sponsor's
always labelled — closed per member or per visit, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cm.curation import services
from cm.models import AnnouncementDismissal, Feature
from forums.models import Access
from forums.services import delete_post
from tests.cm.curation_fixtures import add_post, announce, feature, forum, make_space, topic  # noqa: F401
from tests.factories import ForumFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def home(client):
    return client.get("/").content.decode()


def featured_part(page):
    """The "Featured" section of the home page ("" when there is none)."""
    if 'id="curated-title"' not in page:
        return ""
    start = page.index('id="curated-title"')
    return page[start:page.index("</section>", start)]


def banner_part(page):
    if 'class="announcements"' not in page:
        return ""
    start = page.index('class="announcements"')
    return page[start:page.index('class="hero"')]


# --- Featured ----------------------------------------------------------------------------------------------

def test_no_current_feature_means_no_featured_box(client, topic, feature):  # noqa: F811
    feature("forums.topic", topic.pk, starts_at=timezone.now() + timedelta(days=1))

    page = home(client)

    assert featured_part(page) == ""
    assert "Featured contributors" in page  # the spaces' own section stays: the fallback


def test_featured_items_show_in_the_cms_order_within_their_dates(client, cm, forum, member, feature,  # noqa: F811
                                                                make_space, add_post):  # noqa: F811
    now = timezone.now()
    first = TopicFactory(forum=forum, author=member, title="Gravel tubeless")
    later = TopicFactory(forum=forum, author=member, title="Winter tyres")
    past = TopicFactory(forum=forum, author=member, title="Old news")
    space = make_space(title="Night shift", kind="podcast")
    post = add_post(space, "Episode one", excerpt="Night rides.")
    feature("blogs.post", post.pk)
    feature("forums.topic", first.pk)
    feature("blogs.space", space.pk)
    feature("forums.topic", later.pk, starts_at=now + timedelta(hours=1))
    made = feature("forums.topic", past.pk, starts_at=now - timedelta(days=3), ends_at=now + timedelta(seconds=30))
    Feature.objects.filter(pk=made.pk).update(ends_at=now - timedelta(days=1))

    part = featured_part(home(client))

    assert part.index("Episode one") < part.index("Gravel tubeless") < part.index("Night shift")
    assert "Night rides." in part and "Podcast" in part
    assert "Winter tyres" not in part and "Old news" not in part

    # The CM moves the space first; the scheduled topic's time comes.
    space_feature = Feature.objects.get(kind="blogs.space")
    services.move_feature(actor=cm, feature=space_feature, direction="up")
    services.move_feature(actor=cm, feature=space_feature, direction="up")
    Feature.objects.filter(object_id=later.pk).update(starts_at=now - timedelta(minutes=1))
    part = featured_part(home(client))
    assert part.index("Night shift") < part.index("Episode one") < part.index("Gravel tubeless") < part.index("Winter tyres")


def test_a_featured_item_that_becomes_unreadable_disappears(client, topic, member, feature,  # noqa: F811
                                                           make_space, add_post):  # noqa: F811
    from blogs.models import SpacePage

    space = make_space(title="Night shift")
    post = add_post(space, "Episode one")
    feature("forums.topic", topic.pk)
    feature("blogs.post", post.pk)
    assert "Tubeless tyres" in featured_part(home(client)) and "Episode one" in featured_part(home(client))

    delete_post(actor=member, post=topic.first_post)  # withdrawn by its author
    SpacePage.objects.get(pk=space.pk).unpublish()  # the space paused

    response = client.get("/")
    assert response.status_code == 200
    assert featured_part(response.content.decode()) == ""  # and no empty box


def test_a_topic_whose_forum_turns_members_only_is_shown_to_members_only(client, member, feature):  # noqa: F811
    room = ForumFactory()
    private = TopicFactory(forum=room, author=member, title="Members' meet-up")
    feature("forums.topic", private.pk)  # public when featured (a members-only item is refused then)
    type(room).objects.filter(pk=room.pk).update(access=Access.MEMBERS, read_level=Access.MEMBERS)

    assert "meet-up" not in home(client)
    client.force_login(member)
    assert "meet-up" in featured_part(home(client))


# --- Announcements ----------------------------------------------------------------------------------------

def test_an_announcement_shows_within_its_dates(client, announce):  # noqa: F811
    now = timezone.now()
    announce("Now on", body="Join the **photo** challenge.", ends_at=now + timedelta(days=1))
    announce("Not yet", starts_at=now + timedelta(hours=2))
    over = announce("Over", starts_at=now - timedelta(days=2), ends_at=now + timedelta(hours=1))
    from cm.models import Announcement
    Announcement.objects.filter(pk=over.pk).update(ends_at=now - timedelta(seconds=1))

    part = banner_part(home(client))

    assert "Now on" in part and "<strong>photo</strong>" in part
    assert "Not yet" not in part and "Over" not in part
    assert home(client).index("Now on") < home(client).index('id="hero-title"')  # at the top


@pytest.mark.parametrize(("kind", "label"), [("sponsored", "Sponsored"), ("partner", "Partner")])
def test_partner_and_sponsored_announcements_are_always_labelled_with_the_name(client, member, announce,  # noqa: F811
                                                                                kind, label):
    announce("Spring tune-up week", kind=kind, sponsor_name="Atelier Rayon", link_url="https://rayon.example/")
    announce("Photo challenge")

    for viewer in (None, member):
        if viewer:
            client.force_login(viewer)
        part = banner_part(home(client))
        sponsored = part[part.index('id="announcement-'):part.index("Spring tune-up week")]
        assert f"<strong>{label}</strong> · Atelier Rayon" in sponsored
        assert 'rel="sponsored noopener"' in part
        community = part[part.index("Photo challenge") - 300:part.index("Photo challenge")]
        assert "Sponsored" not in community.split("Spring tune-up week")[-1]


def test_a_partner_announcement_cannot_be_stored_without_a_name(cm):
    from django.db import IntegrityError

    from cm.models import Announcement

    with pytest.raises(IntegrityError):
        Announcement.objects.create(title="Anonymous money", kind="sponsored", sponsor_name="")


def test_a_member_dismisses_a_banner_for_good_and_only_for_themselves(client, member, announce):  # noqa: F811
    banner = announce("Photo challenge")
    other = UserFactory()
    client.force_login(member)

    response = client.post(reverse("announcements:dismiss", args=[banner.pk]), {"next": "/forums/"})
    again = client.post(reverse("announcements:dismiss", args=[banner.pk]))

    assert response["Location"] == "/forums/"
    assert again.status_code == 302
    assert AnnouncementDismissal.objects.filter(member=member, announcement=banner).count() == 1
    assert "Photo challenge" not in home(client)
    client.logout()
    client.force_login(member)  # a new session: still closed
    assert "Photo challenge" not in home(client)
    client.force_login(other)
    assert "Photo challenge" in banner_part(home(client))


def test_a_visitor_dismisses_a_banner_for_the_visit(client, announce):  # noqa: F811
    banner = announce("Photo challenge")
    other_banner = announce("Meet-up on Friday")

    response = client.post(reverse("announcements:dismiss", args=[banner.pk]), {"next": "https://evil.example/"})

    assert response["Location"] == "/"  # never sent away from the site
    part = banner_part(home(client))
    assert "Photo challenge" not in part and "Meet-up on Friday" in part
    assert not AnnouncementDismissal.objects.exists()
    assert "Photo challenge" in banner_part(home(Client()))  # another visitor
    assert other_banner.pk


def test_dismissing_with_htmx_answers_an_empty_fragment(client, member, announce):  # noqa: F811
    banner = announce("Photo challenge")
    client.force_login(member)
    page = home(client)
    assert f'hx-post="/announcements/{banner.pk}/dismiss/"' in page
    assert f'hx-target="#announcement-{banner.pk}"' in page

    response = client.post(reverse("announcements:dismiss", args=[banner.pk]), **HTMX)

    assert (response.status_code, response.content) == (200, b"")
    assert AnnouncementDismissal.objects.filter(member=member).count() == 1


def test_a_members_dismissal_needs_their_csrf_token_a_visitors_does_not(member, announce):  # noqa: F811
    banner = announce("Photo challenge")
    url = reverse("announcements:dismiss", args=[banner.pk])
    checked = Client(enforce_csrf_checks=True)

    assert checked.post(url).status_code == 302  # a visitor: only their own session changes
    checked.force_login(member)
    assert checked.post(url).status_code == 403
    assert not AnnouncementDismissal.objects.exists()
    checked.get("/")  # the page gives the token
    token = checked.cookies["csrftoken"].value
    assert checked.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    assert AnnouncementDismissal.objects.count() == 1


def test_dismissing_an_unknown_announcement_is_a_404(client, db):
    assert client.post(reverse("announcements:dismiss", args=[424242])).status_code == 404


# --- Cost -----------------------------------------------------------------------------------------------------

def fill(size, *, cm, forum, make_space, add_post):  # noqa: F811
    """`size` features of each kind and `size` announcements (one of them sponsored)."""
    author = UserFactory()
    now = timezone.now()
    for n in range(size):
        space = make_space(title=f"Space {n}")
        post = add_post(space, f"Post {n}")
        made_topic = TopicFactory(forum=forum, author=author, title=f"Topic {n}")
        for kind, pk in (("forums.topic", made_topic.pk), ("blogs.space", space.pk), ("blogs.post", post.pk)):
            services.add_feature(actor=cm, kind=kind, text=str(pk), starts_at=now - timedelta(minutes=1))
        services.save_announcement(actor=cm, title=f"Announcement {n}", body="Some **news**.",
                                   kind="sponsored" if n == 0 else "community",
                                   sponsor_name="Atelier Rayon" if n == 0 else "")


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_the_home_page_costs_the_same_with_one_or_many_features_and_announcements(
        client, cm, member, forum, make_space, add_post, django_assert_num_queries, who):  # noqa: F811
    from tests.community.test_pages import QUERIES

    if who == "member":
        client.force_login(member)
    # The pinned count (no space, no feature) + 2 for the spaces' own section once spaces exist (their
    # latest posts, Wagtail's site of the request) + what the featured items cost: one query for the
    # topics, two for the spaces, three for the posts — whether there are 1 or 5 of each.
    # A member's row comes from the cache after the first page (community.signed_in): QUERIES counts it.
    expected = QUERIES[("/", who)] + 2 + 1 + 2 + 3 - (who == "member")
    counts = []
    for size in (1, 5):
        fill(size, cm=cm, forum=forum, make_space=make_space, add_post=add_post)
        client.get("/")  # (Wagtail's site root paths, cached once for the whole site)
        with django_assert_num_queries(expected):
            page = client.get("/").content.decode()
        counts.append((featured_part(page).count('class="featured-item"'), banner_part(page).count("<aside")))
    assert counts == [(3, 1), (8, 3)]  # at most 8 items and 3 banners
