"""The public pages of the contributor spaces: the Contributors index, a space (its posts, newest
first, 12 a page), a post with every kind of block; each in a number of queries that does not grow
with what it lists, never a 500; drafts unseen; the Content-Security-Policy strict outside /cms/."""

import datetime
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from blogs.models import POSTS_PER_PAGE
from tests.community.test_csp import STRICT, policy
from tests.factories import UserFactory, png_upload


@pytest.fixture
def image(db):
    def make(title="Harbour"):
        return get_image_model().objects.create(title=title, file=png_upload(f"{title.lower()}.png", size=(40, 30)))

    return make


@pytest.fixture
def document(db):
    def make(name, content_type):
        return get_document_model().objects.create(
            title=name, file=SimpleUploadedFile(name, b"\x00" * 64, content_type=content_type))

    return make


@pytest.fixture
def no_cache(settings):
    """No cache (a cold or unreachable Redis): what keeps the count flat is the queries themselves."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def queries(client, url):
    """The number of queries of a GET, once the images' renditions exist (a first visit makes them)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def every_block(image, document):
    pictures = [image(f"Pic{n}") for n in range(3)]
    video, episode = document("dawn.mp4", "video/mp4"), document("episode-1.mp3", "audio/mpeg")
    return [
        {"type": "text", "value": "<h2>Morning</h2><p>The <b>first</b> ferry.</p>"},
        {"type": "image", "value": {"image": pictures[0].pk, "caption": "The quay", "alt": "A quay at dawn"}},
        {"type": "gallery", "value": {"title": "Boats", "images": [
            {"type": "item", "id": str(uuid.uuid4()), "value": {"image": p.pk, "caption": f"Boat {n}", "alt": ""}}
            for n, p in enumerate(pictures)]}},
        {"type": "quote", "value": {"text": "Light is everything.\nAlmost.", "source": "A sailor"}},
        {"type": "callout", "value": {"tone": "tip", "text": "<p>Come <i>early</i>.</p>"}},
        {"type": "video", "value": {"embed": None, "file": video.pk, "poster": pictures[1].pk, "caption": "Sunrise"}},
        {"type": "video", "value": {"embed": "https://vimeo.com/76979871", "file": None, "poster": None,
                                    "caption": "Elsewhere"}},
        {"type": "audio", "value": {"file": episode.pk, "duration": "42:10", "episode": 7,
                                    "show_notes": "<p>With the harbour master.</p>"}},
    ]


def test_the_index_says_so_when_there_is_no_space_yet(client, db):
    response = client.get("/contributors/")
    assert response.status_code == 200
    assert b"No featured contributor space yet." in response.content


def test_the_index_lists_spaces_with_their_latest_post(client, make_space, add_post):
    quiet = make_space(title="Quiet corner")
    busy = make_space(UserFactory(display_name="Ines Duval"), title="Busy harbour", kind="photo",
                      tagline="Boats, mostly")
    add_post(busy, "Old news", date=datetime.date(2024, 1, 1))
    add_post(busy, "Fresh catch", date=datetime.date(2025, 6, 1))
    add_post(busy, "Unfinished", date=datetime.date(2025, 7, 1), live=False)

    html = client.get("/contributors/").content.decode()

    assert html.index("Busy harbour") < html.index("Quiet corner")  # by title
    assert "by Ines Duval" in html and "Boats, mostly" in html and "Photo gallery" in html
    assert f'href="{busy.url}fresh-catch/"' in html and "Old news" not in html and "Unfinished" not in html
    assert "No post yet." in html[html.index("Quiet corner"):]
    assert quiet.url == "/contributors/quiet-corner/"


def test_a_space_lists_its_posts_newest_first_twelve_a_page(client, make_space, add_post):
    space = make_space(title="Column")
    for day in range(1, 15):
        add_post(space, f"Day {day:02}", date=datetime.date(2025, 1, day))
    add_post(space, "Day 99 draft", date=datetime.date(2025, 2, 1), live=False)
    add_post(make_space(title="Elsewhere"), "Not here", date=datetime.date(2025, 3, 1))

    first = client.get(space.url).content.decode()
    second = client.get(space.url + "?page=2").content.decode()

    assert [f"Day {d:02}" in first for d in (14, 3, 2)] == [True, True, False]
    assert first.index("Day 14") < first.index("Day 13") < first.index("Day 03")
    assert "Day 02" in second and "Day 01" in second and "Day 03" not in second
    assert "draft" not in first and "Not here" not in first
    assert 'href="?page=2" rel="next"' in first and "Page 1 of 2" in first
    assert POSTS_PER_PAGE == 12


@pytest.mark.parametrize("page", ["999", "x", "0", "-1", "1.5", "2" * 40])
def test_a_page_out_of_range_is_a_404_not_a_500(client, make_space, add_post, page):
    space = make_space(title="Column")
    add_post(space, "Only one")
    assert client.get(space.url, {"page": page}).status_code == 404


def test_a_post_renders_every_kind_of_block(client, make_space, add_post, image, document):
    space = make_space(title="Harbour notes", kind="podcast")
    cover = image("Cover")
    post = add_post(space, "Every block", body=every_block(image, document), cover=cover, excerpt="All of it")
    post.tags.add("dawn", "boats")
    post.save_revision().publish()

    response = client.get(post.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h2>Morning</h2>" in html and "<b>first</b>" in html
    assert 'alt="A quay at dawn"' in html and "<figcaption>The quay</figcaption>" in html
    assert html.count("<figcaption>Boat ") == 3 and "<h2>Boats</h2>" in html
    assert "Light is everything.<br>Almost." in html and "— A sailor" in html
    assert 'class="callout callout-tip"' in html and "<i>early</i>" in html
    assert '<video controls preload="metadata" poster="/' in html and 'src="/documents/' in html
    assert 'href="https://vimeo.com/76979871"' in html and "Watch the video" in html
    assert "Episode 7 · 42:10" in html and "<audio controls" in html and "With the harbour master." in html
    assert 'href="/contributors/tags/boats/">boats</a>' in html and 'href="/contributors/tags/dawn/">dawn</a>' in html
    assert f'href="{space.url}"' in html  # the breadcrumbs
    # the media the page points to are served
    for path in ("/documents/",):
        link = html[html.index(f'src="{path}') + 5:].split('"', 1)[0]
        assert client.get(link).status_code == 200


def test_hostile_text_is_escaped_on_every_page(client, alice, space_a):
    """What a contributor types in the admin (titles, a rich text with a script and a javascript:
    link) ends up as text; titles are escaped on the index, the space and the post."""
    typed = {"blocks": [{"key": "a1", "type": "unstyled", "depth": 0, "text": "click <script>alert(1)</script>",
                         "inlineStyleRanges": [], "entityRanges": [{"offset": 0, "length": 5, "key": 0}]}],
             "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(2)"}}}}
    client.force_login(alice)
    response = client.post(reverse("wagtailadmin_pages:add", args=["blogs", "spacepostpage", space_a.pk]),
                           nested_form_data({
                               "title": "<img src=x onerror=alert(3)>", "slug": "hostile", "date": "2025-03-02",
                               "body": streamfield([("text", json.dumps(typed)),
                                                    ("quote", {"text": "<script>alert(4)</script>", "source": ""})]),
                               "comments": inline_formset([]), "action-publish": "publish"}))
    assert response.status_code == 302
    client.logout()
    for url in ("/contributors/", space_a.url, space_a.url + "hostile/"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html and "javascript:" not in html, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;script&gt;alert(4)" in html


def test_a_draft_is_a_404_to_visitors_and_readers(client, make_space, add_post, member):
    space = make_space(title="Column")
    draft = add_post(space, "Not yet", live=False)
    assert client.get(draft.url).status_code == 404
    client.force_login(member)
    assert client.get(draft.url).status_code == 404
    assert b"Not yet" not in client.get(space.url).content
    # a published post taken down again is gone too
    post = add_post(space, "Gone soon")
    post.unpublish()
    assert client.get(post.url).status_code == 404


def test_the_index_costs_the_same_for_one_space_or_twenty(no_cache, client, make_space, add_post, image):
    def grow(n):
        while len(spaces) < n:
            space = make_space(title=f"Space {len(spaces):02}")
            space.banner = image()
            space.save_revision().publish()
            add_post(space, "Latest", cover=image())
            spaces.append(space)

    spaces = []
    grow(1)
    one = queries(client, "/contributors/")
    grow(20)
    assert queries(client, "/contributors/") == one


def test_a_space_costs_the_same_for_one_post_or_twenty(no_cache, client, make_space, add_post, image):
    space = make_space(title="Column")
    space.banner = image()
    space.save_revision().publish()
    add_post(space, "Post 0", cover=image())
    one = queries(client, space.url)
    for n in range(1, 20):
        add_post(space, f"Post {n}", cover=image())
    assert queries(client, space.url) == one
    assert queries(client, space.url + "?page=2") == one


def test_a_post_costs_the_same_for_one_block_or_many(client, make_space, add_post, image, document):
    space = make_space(title="Column")
    one = add_post(space, "One of each", body=every_block(image, document))
    one.tags.add("a")
    one.save_revision().publish()
    many = add_post(space, "Many", body=[*every_block(image, document), *every_block(image, document),
                                         *every_block(image, document)])
    many.tags.add("a", "b", "c")
    many.save_revision().publish()
    assert queries(client, many.url) == queries(client, one.url)


@pytest.mark.parametrize("path", ["/contributors/", "space", "post", "/contributors/nowhere/"])
def test_the_csp_stays_strict_on_public_pages(client, make_space, add_post, path):
    space = make_space(title="Column")
    post = add_post(space, "A post")
    url = {"space": space.url, "post": post.url}.get(path, path)
    assert policy(client.get(url)) == STRICT


def test_the_csp_is_relaxed_only_in_the_cms(client, cm, make_space):
    space = make_space(title="Column")
    client.force_login(cm)
    cms = policy(client.get(f"/cms/pages/{space.pk}/edit/"))
    assert "'unsafe-inline'" in cms["script-src"] and "'unsafe-inline'" in cms["style-src"]
    assert cms["object-src"] == "'none'" and cms["frame-ancestors"] == "'self'"  # the editor's preview frame
    for url in ("/contributors/", space.url, "/cms-door/", "/documents/"):
        header = client.get(url).get("Content-Security-Policy", "")
        assert "unsafe-inline" not in header, url
