"""Each space has an RSS feed; a podcast space's is a valid podcast feed: every episode's file as an
enclosure with its length and type, and the iTunes tags (author, image, category, explicit; per
episode: duration and number). Drafts never appear; the feed costs the same at 1 and 20 posts."""

import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"


def feed_of(client, space):
    response = client.get(f"{space.url}feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel")


def test_a_column_has_an_rss_feed_of_its_live_posts_newest_first(client, space_a, add_post):
    add_post(space_a, "Older", date=datetime.date(2025, 1, 1), excerpt="The first one")
    add_post(space_a, "Newer", date=datetime.date(2025, 2, 1))
    add_post(space_a, "A draft", live=False)

    channel = feed_of(client, space_a)

    assert channel.findtext("title") == "Alice's column"
    assert [item.findtext("title") for item in channel.findall("item")] == ["Newer", "Older"]
    assert channel.findall("item")[1].findtext("description") == "The first one"
    assert channel.findall("item")[0].findtext("link").startswith("http://testserver/contributors/")
    assert channel.find(f"{ITUNES}author") is None  # not a podcast


def test_the_space_page_links_to_its_feed(client, space_a):
    page = client.get(space_a.url).content.decode()
    assert f'type="application/rss+xml" title="Alice&#x27;s column" href="{space_a.url}feed/"' in page


def test_a_podcast_feed_has_enclosures_and_the_itunes_tags(client, make_space, add_post, alice):
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1600), (10, 20, 30)).save(buffer, "PNG")
    podcast = make_space(alice, title="Les voix", kind="podcast", tagline="Une invitée, une histoire")
    podcast.banner = get_image_model().objects.create(title="cover", file=ImageFile(buffer, name="cover.png"))
    podcast.save_revision().publish()
    episode = get_document_model().objects.create(title="Episode 1", file=ContentFile(b"ID3" + b"\0" * 4093,
                                                                                       name="episode-1.mp3"))
    add_post(podcast, "Épisode 1", body=[("audio", {"file": episode, "duration": "42:10", "episode": 1,
                                                     "show_notes": "<p>Notes <b>here</b></p>"})])

    channel = feed_of(client, podcast)

    assert channel.findtext(f"{ITUNES}author") == alice.name
    assert channel.find(f"{ITUNES}image").get("href").startswith("http://testserver/")
    assert channel.find(f"{ITUNES}category").get("text")
    assert channel.findtext(f"{ITUNES}explicit") == "false"
    (item,) = channel.findall("item")
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == f"http://testserver{episode.url}"
    assert enclosure.get("length") == "4096"
    assert enclosure.get("type") == "audio/mpeg"
    assert item.findtext(f"{ITUNES}duration") == "42:10"
    assert item.findtext(f"{ITUNES}episode") == "1"
    assert "Notes" in item.findtext("description")


@pytest.mark.parametrize("kind", ["column", "podcast"])
def test_a_feed_costs_the_same_at_one_and_twenty_posts(client, make_space, add_post, alice, kind,
                                                       django_assert_max_num_queries):
    space = make_space(alice, title=f"Feed {kind}", kind=kind)
    document = get_document_model().objects.create(title="e", file=ContentFile(b"x" * 10, name="e.mp3"))
    body = [("audio", {"file": document, "duration": "1:00", "episode": 1})] if kind == "podcast" else []
    add_post(space, "One", body=body)
    client.get(f"{space.url}feed/")  # warm Wagtail's site cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(f"{space.url}feed/")
    for n in range(19):
        add_post(space, f"Post {n}", body=body)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(f"{space.url}feed/")
