"""`manage.py seed_demo` gives the contributor spaces a living demo, checked on the pages as a
visitor or a demo login sees them: pictures, a podcast episode that plays, a video, bilingual
threads several levels deep with mentions, a tombstone, an edited comment, and a comment waiting
for the `contributor` login on their column's older post. Seeding twice adds nothing, and no page
of the spaces answers a 500 to any demo login."""

from io import StringIO
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from blogs.demo import DEMO_VIDEO_URL
from blogs.models import Comment, SpacePage, SpacePostPage
from community.models import User

pytestmark = pytest.mark.django_db

LOGINS = ["visitor", "member", "contributor", "cm", "admin"]
WILL_WAIT = "Your comment will appear once the author approves it."


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def post_url(title):
    return SpacePostPage.objects.get(title=title).url


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content.decode(), "html.parser")


def thread(soup):
    return soup.select("ol.comment-thread > li.comment")


def test_the_four_spaces_of_the_demo_are_listed_with_their_owners(demo, client):
    html = client.get("/contributors/").content.decode()

    for title in ("Atelier du samedi", "Sorties du dimanche", "Les voix du quartier", "Keyboard Fridays"):
        assert title in html
    assert set(SpacePage.objects.values_list("kind", flat=True)) == {"column", "photo", "podcast", "video"}
    assert SpacePage.objects.get(kind="column").space_owner.username == "contributor"


def test_the_photo_post_shows_a_cover_a_picture_and_a_gallery_of_five(demo, client):
    soup = soup_of(client, post_url("Brume sur la Loire"))

    assert soup.select_one("article img.cover")["src"].startswith("/media/images/")
    assert soup.select_one("figure.post-image img")["alt"] == "La Loire dans la brume du matin, entre deux collines"
    gallery = soup.select_one("section.gallery")
    assert gallery.h2.get_text() == "Cinq images à l'aube"
    pictures = gallery.select("img")
    assert len(pictures) == 5 and all(img["alt"] for img in pictures)


def test_the_podcast_episode_plays_a_real_mp3_listed_in_the_podcast_feed(demo, client):
    soup = soup_of(client, post_url("Épisode 1 — La boulangère de la rue Longue"))

    episode = soup.select_one("section.episode")
    assert "Episode 1 · 0:30" in episode.get_text()
    assert "Les premières fournées" in episode.select_one(".show-notes").get_text()
    response = client.get(episode.audio["src"])
    assert response.status_code == 200 and response["Content-Type"] == "audio/mpeg"
    sound = b"".join(response.streaming_content)
    # MPEG-1 Layer III frames of 96 bytes (24 ms each): thirty seconds of them.
    assert sound[:2] == b"\xff\xfb" and len(sound) % 96 == 0 and len(sound) // 96 * 24 >= 30_000

    feed = client.get(f"{SpacePage.objects.get(kind='podcast').url}feed/")
    enclosure = ElementTree.fromstring(feed.content).find("channel/item/enclosure")
    assert enclosure.get("type") == "audio/mpeg" and enclosure.get("length") == str(len(sound))
    assert b"<itunes:duration>0:30</itunes:duration>" in feed.content


def test_the_video_post_links_to_its_public_video_behind_its_poster(demo, client):
    soup = soup_of(client, post_url("Lubing switches, the patient way"))

    link = soup.select_one("figure.video a")
    assert link["href"] == DEMO_VIDEO_URL and "Watch the video" in link.get_text()
    assert link.img["src"].startswith("/media/images/") and link.img["alt"] == ""
    assert "Big Buck Bunny" in soup.select_one("figure.video figcaption").get_text()


def test_the_column_thread_runs_deep_in_french_and_english_with_mentions(demo, client):
    soup = soup_of(client, post_url("Changer une chambre à air sans démonter la roue"))
    comments = thread(soup)

    assert len(comments) == 10
    assert [c["class"][1] for c in comments[:6]] == ["depth-0", "depth-1", "depth-2", "depth-3", "depth-4", "depth-4"]
    assert "in reply to #5 by Jules Fontaine" in comments[5].get_text(" ", strip=True)  # deeper: flattened
    assert soup.select_one('ol.comment-thread a.mention[href="/members/hugo/"]')
    text = soup.select_one("ol.comment-thread").get_text()
    assert "Huit minutes, bravo !" in text and "Does this work with tubeless-ready rims too?" in text
    for title in SpacePostPage.objects.values_list("title", flat=True):
        assert thread(soup_of(client, post_url(title))), title  # every post has its conversation


def test_a_demo_comment_deleted_by_its_author_stays_as_a_tombstone_above_its_replies(demo, client):
    comments = thread(soup_of(client, post_url("Brume sur la Loire")))

    assert comments[0].get_text(strip=True) == "This comment was deleted by its author."
    assert "trépied obligatoire" in comments[1].get_text() and "depth-1" in comments[1]["class"]
    assert "handheld at 1/15" not in "".join(c.get_text() for c in comments)


def test_an_edited_demo_comment_links_to_its_history(demo, client):
    soup = soup_of(client, post_url("Brume sur la Loire"))
    edited = [a for a in soup.select("ol.comment-thread a") if a.get_text() == "edited"]
    assert len(edited) == 1

    history = soup_of(client, edited[0]["href"]).get_text()

    assert "Vers 7 h 15" in history and "Before the edit of" in history and "Vers 7 h 45" in history


def test_the_contributor_finds_a_comment_waiting_on_their_older_column_post(demo, client):
    old = post_url("Five tools I would buy again")
    waiting_text = "which cable cutters do you use?"
    visitor_view = soup_of(client, old)
    assert "Comments on this post are moderated since" in visitor_view.get_text()
    assert waiting_text not in visitor_view.get_text()

    client.force_login(User.objects.get(username="contributor"))
    waiting = soup_of(client, "/spaces/comments/waiting/")
    assert waiting_text in waiting.get_text() and "Five tools I would buy again" in waiting.get_text()
    assert waiting.select_one('button[value="approve"]')

    client.force_login(User.objects.get(username="cm"))  # (in English) a CM's comment does not wait either
    assert WILL_WAIT not in soup_of(client, old).select_one("#comment-form").get_text()

    client.force_login(User.objects.get(username="member"))
    own_view = soup_of(client, old).get_text()
    assert waiting_text in own_view and "Awaiting approval" in own_view and WILL_WAIT in own_view

    client.force_login(User.objects.get(username="priya"))  # a new comment on it waits too
    post = SpacePostPage.objects.get(title="Five tools I would buy again")
    response = client.post(f"/spaces/posts/{post.pk}/comment/", {"body": "Knipex, every time."}, follow=True)
    assert "Your comment awaits approval" in response.content.decode()


def test_seeding_the_demo_twice_adds_no_space_post_comment_or_file(demo):
    models = (SpacePage, SpacePostPage, Comment, get_image_model(), get_document_model())
    before = [model.objects.count() for model in models]

    call_command("seed_demo", stdout=StringIO())

    assert [model.objects.count() for model in models] == before


def space_pages():
    """Every page of the spaces the demo links to, and the own pages of its comments of each sort:
    the first of each post, the deleted, the edited, the waiting one and the deepest."""
    pages = ["/contributors/", "/spaces/comments/waiting/", "/spaces/comments/waiting/?show=rejected"]
    for space in SpacePage.objects.all():
        pages += [space.url, f"{space.url}feed/"]
    for post in SpacePostPage.objects.all():
        pages += [post.url] + [f"/contributors/tags/{slug}/" for slug in post.tags.values_list("slug", flat=True)]
    comments = Comment.objects.filter(level=0, number=1) | Comment.objects.filter(is_deleted=True)
    comments |= Comment.objects.filter(edit_count__gt=0) | Comment.objects.filter(status="pending")
    comments |= Comment.objects.filter(level__gt=4)
    for pk in comments.values_list("pk", flat=True):
        pages += [f"/spaces/comments/{pk}/{action}" for action in ("", "reply/", "edit/", "history/")]
    return pages


def test_no_page_of_the_demo_spaces_fails_for_any_demo_login(demo, client):
    pages = space_pages()
    for login in LOGINS:
        client.logout()
        if login != "visitor":
            client.force_login(User.objects.get(username=login))

        statuses = {url: client.get(url).status_code for url in pages}

        assert set(statuses.values()) <= {200, 302, 403, 404}, (login, {u: s for u, s in statuses.items() if s >= 500})
        assert all(statuses[url] == 200 for url in pages if not url.startswith("/spaces/")), (login, statuses)
