"""The casting path, in a real browser, as its people click it (issue 13): a community manager finds a
member on the talent board (filtered by the skill she declared), opens her member card and casts her
as a podcast host; the member sees the invitation in her notifications, reads its terms and accepts;
her space opens, she publishes an episode (an audio episode block, the MP3 uploaded through Wagtail's
document chooser) from /cms/; it shows on her space's page and on the home page, where the CM also
features it; a member follows the space, the owner publishes again, the follower is notified. And a
declined invitation: the CM is told, nothing is created.

Scores come from the real nightly job (cm.scouting.scoring.compute), run in the set-up on forum
activity made through the forum services. Notifications fan out through the outbox after commit, in
eager mode: in the live server's request thread for what the browser does.
Screenshots: artifacts/screenshots/casting-*.png."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from blogs.demo_media import silent_mp3
from blogs.models import SpaceFollow, SpacePage, SpacePostPage
from cm.models import Casting, CastingStatus, Feature
from cm.scouting import scoring
from community.models import MemberSkill, User
from community.notifications.models import Notification
from community.notifications.services import mark_all_read
from forums.models import Post
from forums.services.posting import toggle_reaction
from tests.factories import PASSWORD, ForumFactory, ReplyFactory, TopicFactory, UserFactory

pytest.importorskip("playwright.sync_api", reason="browser layer: pip install playwright")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.helpers import log_in  # noqa: E402

pytestmark = pytest.mark.browser

SPACE_TITLE = "The Sunday ride"
INVITATION = ("Maya, your ride reports are the most read threads of the forums. Would you host a podcast "
              "about weekend cycling? Two episodes a month would be perfect.")
EPISODE = "Episode 1: the loop of the three lakes"
EPISODE_EXCERPT = "Forty kilometres, three lakes, one puncture."
SECOND = "Packing list for a rainy ride"
SECOND_TEXT = "A rain cape, spare gloves and a dry bag for the phone: that is all."
# Wagtail's message: "created and published", or "has been published" when an autosave made the page.
PUBLISHED = r"Page '{}' (created and published|has been published)\."


def scouted_world():
    """Sam (a CM); Maya, who declared "podcast" and writes topics that draw replies and likes; Otto,
    who scores too but declared photography; three readers. Then the nightly scoring, run now."""
    cm = UserFactory(username="sam", display_name="Sam", roles=["Community managers"])
    maya = UserFactory(username="maya", display_name="Maya")
    otto = UserFactory(username="otto", display_name="Otto")
    MemberSkill.objects.create(user=maya, skill="podcast")
    MemberSkill.objects.create(user=otto, skill="photo")
    readers = [UserFactory(username=f"reader{n}", display_name=f"Reader {n}") for n in range(3)]
    forum = ForumFactory(name="Cycling", slug="cycling")
    for title in ("Three lakes in a morning", "Gravel tyres: what pressure?", "A night ride to the coast"):
        topic = TopicFactory(forum=forum, author=maya, title=title,
                             body=f"{title}: my report, with the route and where to stop for coffee.")
        opening = Post.objects.get(topic=topic, position=1)
        for reader in readers:
            ReplyFactory(topic=topic, author=reader, body=f"Thank you Maya, {reader.display_name} will try it.")
            toggle_reaction(actor=reader, post=opening)
    TopicFactory(forum=forum, author=otto, title="My new camera", body="A photo of my bike, soon.")
    run = scoring.compute()
    assert run.finished_at is not None and run.members >= 5
    mark_all_read(actor=maya)  # the replies' notifications: read, her bell at zero before the casting
    return cm, maya


def bell_count(page):
    return page.get_by_role("banner").locator("#bell .bell-count")


def cm_casts_maya(new_page, shoot, prefix):
    """Steps 1: Sam, from the dashboard to the invitation sent. Returns Sam's page."""
    cm = new_page()
    log_in(cm, "sam", PASSWORD)
    cm.get_by_role("banner").get_by_role("link", name="Workspace").click()
    expect(cm).to_have_url(re.compile(r"/cm/$"))
    expect(cm.get_by_role("heading", level=1)).to_have_text("Community health")
    shoot(cm, f"{prefix}-01-cm-dashboard")

    cm.get_by_role("navigation", name="Community manager workspace").get_by_role("link", name="Talent board").click()
    expect(cm).to_have_url(re.compile(r"/cm/talent/$"))
    board = cm.locator("table.talent-board")
    expect(board.get_by_role("link", name="Maya", exact=True)).to_be_visible()
    expect(board.get_by_role("link", name="Otto", exact=True)).to_be_visible()
    cm.get_by_label("Skill:", exact=True).select_option("podcast")
    cm.get_by_role("button", name="Filter").click()
    expect(cm).to_have_url(re.compile(r"[?&]skill=podcast"))
    expect(cm.get_by_label("Period:", exact=True)).to_have_value("90")  # the board's default, kept
    rows = board.locator("tbody tr")
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row.get_by_role("link", name="Maya", exact=True)).to_be_visible()
    expect(row).to_contain_text("Podcasting")
    expect(row.locator("ul.why")).to_contain_text("likes per post")  # the why of her rank
    expect(row.locator("ol.pieces")).to_contain_text("Three lakes in a morning")  # her best pieces
    shoot(cm, f"{prefix}-02-talent-board-filtered-by-podcast")

    row.get_by_role("link", name="Member card").click()
    expect(cm).to_have_url(re.compile(r"/cm/members/maya/$"))
    expect(cm.get_by_role("heading", level=1)).to_contain_text("Maya")
    expect(cm.locator("section[aria-labelledby=skills]")).to_contain_text("Podcasting")
    shoot(cm, f"{prefix}-03-member-card")

    cm.locator(".profile-head").get_by_role("link", name="Cast into a space").click()
    expect(cm).to_have_url(re.compile(r"/cm/casting/new/maya/$"))
    expect(cm.get_by_role("heading", level=1)).to_contain_text("Cast Maya")
    today = timezone.localdate()
    cm.get_by_label("Cast as").select_option("podcast")
    cm.get_by_label("Title of the space").fill(SPACE_TITLE)
    cm.get_by_label("Term starts").fill(today.isoformat())
    cm.get_by_label("Term ends").fill((today + timedelta(days=180)).isoformat())
    cm.get_by_label("Your invitation").fill(INVITATION)
    shoot(cm, f"{prefix}-04-invitation-form")
    cm.get_by_role("button", name="Send the invitation").click()
    expect(cm).to_have_url(re.compile(r"/cm/casting/[0-9]+/$"))
    expect(cm.locator("div.messages[role=status]")).to_contain_text("Invitation sent")
    shoot(cm, f"{prefix}-05-invitation-sent")
    return cm


def maya_opens_her_invitation(new_page, shoot, prefix):
    """Step 2, up to the invitation's page: the bell, the inbox line, the terms. Returns her page."""
    casting = Casting.objects.get(member__username="maya")
    assert casting.status == CastingStatus.INVITED and casting.kind == "podcast"
    page = new_page()
    log_in(page, "maya", PASSWORD)
    expect(bell_count(page)).to_have_text("1")
    shoot(page, f"{prefix}-06-member-bell")
    page.get_by_role("banner").locator("#bell").click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    lines = page.get_by_role("main").locator("li.notification.unread")
    expect(lines).to_have_count(1)
    link = lines.first.locator("a.notification-link")
    expect(link).to_contain_text(f"Sam invites you to host “{SPACE_TITLE}” (Podcast)")
    shoot(page, f"{prefix}-07-member-notifications")
    link.locator("strong").click()  # the visible words (the link's first box is a clipped span)
    expect(page).to_have_url(re.compile(rf"/invitations/{casting.pk}/$"))
    article = page.locator("article.invitation")
    expect(article.get_by_role("heading", level=1)).to_have_text("An invitation to host a featured space: Podcast")
    ends = (timezone.localdate() + timedelta(days=180))
    expect(article).to_contain_text(f"Podcast “{SPACE_TITLE}”, from ")
    expect(article).to_contain_text(f"{ends.strftime('%B')} {ends.day}, {ends.year}")  # the term's end
    expect(article.locator("blockquote")).to_contain_text(INVITATION)
    expect(article).to_contain_text("From Sam, community manager.")
    shoot(page, f"{prefix}-08-member-reads-the-terms")
    return page, casting


def publish_from_the_editor(page, title):
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(re.compile(PUBLISHED.format(re.escape(title))))


def test_a_cm_casts_a_member_as_a_podcast_host_she_publishes_an_episode_and_a_follower_is_told(
        new_page, shoot, tmp_path, transactional_db):
    _cm, maya = scouted_world()

    # 1. Sam finds Maya on the talent board and casts her as a podcast host.
    cm = cm_casts_maya(new_page, shoot, "casting")

    # 2. Maya sees the invitation, reads the terms, accepts: her space opens at once.
    page, casting = maya_opens_her_invitation(new_page, shoot, "casting")
    page.get_by_role("button", name="Accept").click()
    space = SpacePage.objects.get(space_owner=maya)
    expect(page).to_have_url(re.compile(re.escape(space.url) + "$"))
    expect(page.locator("div.messages[role=status]")).to_contain_text(f"Your space “{SPACE_TITLE}” is open")
    expect(page.get_by_role("heading", level=1)).to_have_text(SPACE_TITLE)
    expect(page.get_by_role("link", name="Write a post")).to_have_attribute(
        "href", f"/cms/pages/add/blogs/spacepostpage/{space.pk}/")
    shoot(page, "casting-09-member-accepted-her-space")
    casting.refresh_from_db()
    assert casting.status == CastingStatus.ACCEPTED and casting.space_id == space.pk
    assert space.kind == "podcast" and space.live
    assert maya.groups.filter(name="Contributors").exists()
    # Sam is told of the answer.
    assert Notification.objects.filter(recipient__username="sam", kind="casting_answered").count() == 1

    # 3. Maya opens the editors' area: her space is the dashboard's first panel; she writes an episode.
    page.set_viewport_size({"width": 1280, "height": 1600})  # Wagtail's editor scrolls inside its frame
    page.goto("/cms/")
    panel = page.locator("section.w-panel").first
    expect(panel.get_by_role("heading", level=2)).to_have_text("Your space")
    expect(panel).to_contain_text(f"{SPACE_TITLE} · Podcast")
    shoot(page, "casting-10-cms-your-space")
    panel.get_by_role("link", name="Your posts").click()
    page.get_by_role("link", name="Add child page").first.click()
    expect(page).to_have_url(re.compile(rf"/cms/pages/add/blogs/spacepostpage/{space.pk}/$"))
    page.locator("#id_title").fill(EPISODE)
    page.locator("#id_excerpt").fill(EPISODE_EXCERPT)
    body = page.locator("#body-root")
    body.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name="Audio episode", exact=True).click()
    # The document chooser's "Upload" tab: the MP3 from her disk.
    sound = tmp_path / "three-lakes.mp3"
    sound.write_bytes(silent_mp3(3))
    body.get_by_role("button", name="Choose a document").click()
    modal = page.get_by_role("dialog")
    expect(modal.get_by_role("heading", name="Choose a document")).to_be_visible()
    modal.get_by_role("tab", name="Upload").click()
    modal.get_by_label("File").set_input_files(sound)
    expect(modal.get_by_label("Title")).to_have_value("three-lakes")
    shoot(page, "casting-11-document-chooser-upload")
    modal.get_by_role("button", name="Upload").click()
    expect(modal).to_be_hidden()
    expect(body.locator(".chooser__title")).to_have_text("three-lakes")
    body.get_by_label("duration").fill("0:03")
    body.get_by_label("episode number").fill("1")
    shoot(page, "casting-12-episode-in-the-editor")
    publish_from_the_editor(page, EPISODE)
    shoot(page, "casting-13-episode-published")
    episode = SpacePostPage.objects.get(title=EPISODE)
    assert episode.live and episode.get_parent().pk == space.pk
    assert [block.block_type for block in episode.body] == ["audio"]

    # The episode on her space's page, then on its own page with a player whose sound loads.
    visitor = new_page()
    visitor.goto(space.url)
    expect(visitor.get_by_role("link", name=EPISODE)).to_be_visible()
    shoot(visitor, "casting-14-space-page-with-the-episode")
    visitor.get_by_role("link", name=EPISODE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(EPISODE)
    player = visitor.locator("section.episode audio")
    expect(player).to_have_attribute("src", re.compile(r"^/documents/[0-9]+/three-lakes.*\.mp3$"))
    expect(visitor.locator("section.episode")).to_contain_text("Episode 1 · 0:03")
    sound_response = visitor.request.get(player.get_attribute("src"))
    assert sound_response.ok and sound_response.body() == sound.read_bytes(), sound_response.status
    # The browser reads the file's metadata (the site's policy lets the page load its sound).
    duration = player.evaluate("""audio => new Promise(done => {
        if (audio.readyState >= 1) { done(audio.duration); return; }
        audio.addEventListener("loadedmetadata", () => done(audio.duration));
        audio.addEventListener("error", () => done(-1));
        audio.load();
    })""")
    assert 2 < duration < 4, duration
    shoot(visitor, "casting-15-episode-page")

    # The home page: among the featured contributors, her space and its latest post.
    visitor.goto("/")
    featured = visitor.locator("section[aria-labelledby=featured-title]")
    expect(featured.get_by_role("link", name=SPACE_TITLE)).to_be_visible()
    expect(featured.get_by_role("link", name=EPISODE)).to_be_visible()
    shoot(visitor, "casting-16-home-featured-contributors")

    # Sam features the episode itself from /cm/curation/: it heads the home page's "Featured".
    cm.goto("/cm/curation/")
    form = cm.locator("form[action$='/cm/curation/features/new/']")
    form.get_by_label("What").select_option("blogs.post")
    form.get_by_label("Address or number").fill(episode.url)
    form.get_by_role("button", name="Feature").click()
    expect(cm).to_have_url(re.compile(r"/cm/curation/$"))
    expect(cm.locator("section[aria-labelledby=now-title]").get_by_role("link", name=EPISODE).first).to_be_visible()
    shoot(cm, "casting-17-cm-features-the-episode")
    assert Feature.objects.filter(kind="blogs.post", object_id=episode.pk).count() == 1
    visitor.goto("/")
    curated = visitor.locator("section[aria-labelledby=curated-title]")
    expect(curated.get_by_role("link", name=EPISODE).first).to_be_visible()
    shoot(visitor, "casting-18-home-featured-episode")

    # 4. Reader 0 follows the space from its page.
    follower = new_page()
    log_in(follower, "reader0", PASSWORD)
    mark_all_read(actor=User.objects.get(username="reader0"))  # (Maya's replies' notifications)
    follower.goto(space.url)
    follower.get_by_role("button", name="Follow", exact=True).click()
    expect(follower.get_by_role("button", name="Stop following")).to_be_visible()
    expect(follower.locator("div.messages[role=status]")).to_contain_text("You follow this space")
    shoot(follower, "casting-19-member-follows-the-space")
    assert SpaceFollow.objects.filter(space=space, user__username="reader0").exists()

    # Maya publishes another post (a text one), from her space's "Write a post".
    page.goto(space.url)
    page.get_by_role("link", name="Write a post").click()
    expect(page).to_have_url(re.compile(rf"/cms/pages/add/blogs/spacepostpage/{space.pk}/$"))
    page.locator("#id_title").fill(SECOND)
    body = page.locator("#body-root")
    body.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name="Text", exact=True).click()
    editor = body.get_by_role("textbox")
    editor.click()
    page.keyboard.type(SECOND_TEXT)
    expect(editor).to_have_text(SECOND_TEXT)
    page.locator("#id_excerpt").fill("What I take when the sky is grey.")
    # Draftail writes the text into the form a moment after the last key (its save interval): a
    # writer is never that quick to publish, the test waits for it.
    page.wait_for_function("""text => [...document.querySelectorAll("form input, form textarea")]
        .some(field => field.value.includes(text))""", arg="spare gloves")
    publish_from_the_editor(page, SECOND)
    shoot(page, "casting-20-second-post-published")

    # The follower's bell rises; the line names the post and the space, and leads to it.
    follower.goto("/notifications/")
    expect(bell_count(follower)).to_have_text("1")
    lines = follower.get_by_role("main").locator("li.notification.unread")
    expect(lines).to_have_count(1)
    link = lines.first.locator("a.notification-link")
    expect(link).to_contain_text(f"Maya published “{SECOND}” in {SPACE_TITLE}")
    shoot(follower, "casting-21-follower-notified")
    link.locator("strong").click()
    expect(follower.get_by_role("heading", level=1)).to_have_text(SECOND)
    expect(follower.locator("article.space-post .prose")).to_contain_text(SECOND_TEXT)
    shoot(follower, "casting-22-follower-reads-the-post")
    assert list(Notification.objects.filter(kind="space_post").values_list("recipient__username", flat=True)) \
        == ["reader0"]


def test_a_member_declines_the_cm_is_told_and_nothing_is_created(new_page, shoot, transactional_db):
    _cm, maya = scouted_world()
    cm = cm_casts_maya(new_page, shoot, "casting-decline")
    page, casting = maya_opens_her_invitation(new_page, shoot, "casting-decline")
    spaces_before = SpacePage.objects.count()

    page.get_by_role("button", name="Decline").click()
    expect(page).to_have_url(re.compile(r"/invitations/$"))
    expect(page.locator("div.messages[role=status]")).to_contain_text("You declined the invitation")
    expect(page.get_by_role("main")).to_contain_text("Declined")
    shoot(page, "casting-decline-09-member-declined")

    # Sam's bell: "Maya declined your invitation"; the casting's page says so.
    cm.goto("/notifications/")
    expect(bell_count(cm)).to_have_text("1")
    lines = cm.get_by_role("main").locator("li.notification.unread")
    expect(lines).to_have_count(1)
    expect(lines.first).to_contain_text(f"Maya declined your invitation: “{SPACE_TITLE}” (Podcast)")
    shoot(cm, "casting-decline-10-cm-told")
    lines.first.locator("a.notification-link strong").click()
    expect(cm).to_have_url(re.compile(rf"/cm/casting/{casting.pk}/$"))
    expect(cm.get_by_role("main")).to_contain_text("Declined")
    shoot(cm, "casting-decline-11-casting-declined")

    casting.refresh_from_db()
    assert casting.status == CastingStatus.DECLINED and casting.space_id is None
    assert SpacePage.objects.count() == spaces_before
    assert not SpacePage.objects.filter(space_owner=maya).exists()
    assert not maya.groups.filter(name="Contributors").exists()
