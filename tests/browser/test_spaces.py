"""A contributor space in a real browser: its owner writes a post in Wagtail's editor (/cms/) with
a rich-text block and an image uploaded through the image chooser, publishes it; the public page
shows it, image loaded; a member comments in Markdown, another replies to that comment, and the
thread shows the reply nested under it — on a desktop and on a phone, under the site's CSP.
Screenshots: artifacts/screenshots/spaces-*.png."""

import io
import re
import time

import pytest
from PIL import Image
from wagtail.images.models import Image as WagtailImage

from blogs.models import Comment, SpacePostPage
from blogs.services import create_space
from tests.factories import PASSWORD, UserFactory

pytest.importorskip("playwright.sync_api", reason="browser layer: pip install playwright")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.helpers import log_in  # noqa: E402

pytestmark = pytest.mark.browser

TITLE = "Night trains across the Alps"
EXCERPT = "Six lines, one winter, and what I would book again."
PARAGRAPH = "The sleeper from Zurich leaves at nine and wakes you among the vineyards of the Wachau."
CAPTION = "The Nightjet at Feldkirch, before dawn."
ALT = "A blue sleeper train at a snowy platform."
COMMENT = "The **Vienna** car is the one to book: quieter, and breakfast comes first."
# Wagtail's message: "created and published", or "has been published" when an autosave made the page.
PUBLISHED = re.compile(rf"Page '{TITLE}' (created and published|has been published)\.")
REPLY = "Agreed — and ask for a lower berth, the upper ones are warm."


def png_file(tmp_path):
    """A 640×360 PNG with a gradient, as a contributor's photo would be (Pillow, no fixture file)."""
    image = Image.new("RGB", (640, 360))
    image.putdata([(20 + x // 4, 60 + y // 3, 140) for y in range(360) for x in range(640)])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path = tmp_path / "nightjet-feldkirch.png"
    path.write_bytes(buffer.getvalue())
    return path


def test_a_contributor_publishes_a_post_with_an_image_and_members_discuss_it(
        new_page, shoot, tmp_path, transactional_db):
    cm = UserFactory(username="sam", display_name="Sam", roles=["Community managers"])
    lea = UserFactory(username="lea", display_name="Léa")
    space = create_space(actor=cm, owner=lea, kind="column", title="Rail notes",
                         tagline="Slow travel across Europe, by train.")
    UserFactory(username="ben", display_name="Ben")
    UserFactory(username="cleo", display_name="Cleo")

    # 1. Léa logs in and opens the CMS: "Your space" is the dashboard's first panel.
    page = new_page(viewport={"width": 1280, "height": 1600})  # Wagtail's editor scrolls inside its frame
    log_in(page, "lea", PASSWORD)
    page.goto("/cms/")
    panel = page.locator("section.w-panel").first
    expect(panel.get_by_role("heading", level=2)).to_have_text("Your space")
    expect(panel).to_contain_text("Rail notes · Column")
    expect(panel.get_by_role("link", name="Write a post")).to_be_visible()
    shoot(page, "spaces-01-dashboard-your-space")

    # Her posts (none yet), then Wagtail's "Add child page": a space takes only posts, so the
    # editor opens at once on a new post (else Wagtail would ask for the type).
    panel.get_by_role("link", name="Your posts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exploring: Rail notes")
    page.get_by_role("link", name="Add child page").first.click()
    expect(page).to_have_url(re.compile(rf"/cms/pages/add/blogs/spacepostpage/{space.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New: Post")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_excerpt").fill(EXCERPT)

    # The body: a Text block (Draftail), then an Image block.
    body = page.locator("#body-root")
    body.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name="Text", exact=True).click()
    editor = body.get_by_role("textbox")
    expect(editor).to_be_visible()
    editor.click()
    page.keyboard.type(PARAGRAPH)
    expect(editor).to_have_text(PARAGRAPH)
    body.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name="Image", exact=True).click()

    # The image chooser's "Upload" tab: a PNG from her disk (the title follows the file name).
    body.get_by_role("button", name="Choose an image").click()
    modal = page.get_by_role("dialog")
    expect(modal.get_by_role("heading", name="Choose an image")).to_be_visible()
    modal.get_by_role("tab", name="Upload").click()
    modal.get_by_label("File").set_input_files(png_file(tmp_path))
    expect(modal.get_by_label("Title")).to_have_value("nightjet-feldkirch")
    shoot(page, "spaces-02-image-chooser-upload")
    modal.get_by_role("button", name="Upload").click()
    expect(modal).to_be_hidden()
    expect(body.locator(".chooser__title")).to_have_text("nightjet-feldkirch")
    expect(body.locator("img.chooser__image")).to_be_visible()
    body.get_by_label("caption").fill(CAPTION)
    body.get_by_label("text alternative").fill(ALT)
    page.locator("#panel-child-content-body-section").scroll_into_view_if_needed()
    shoot(page, "spaces-03-editor-before-publishing")

    # Publish, from the footer's "More actions".
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    # (Wagtail 8 may have autosaved a draft meanwhile: "created and published" or "has been published".)
    expect(page.locator(".messages")).to_contain_text(PUBLISHED)
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    shoot(page, "spaces-04-published")
    post = SpacePostPage.objects.get(title=TITLE)
    assert post.live and post.get_parent().pk == space.pk and post.owner == lea
    assert post.status == "published"
    image = WagtailImage.objects.get(title="nightjet-feldkirch")  # in the space's own collection
    assert image.collection.name == f"Rail notes ({space.pk})"
    assert [block.block_type for block in post.body] == ["text", "image"]
    post_url = f"/contributors/{space.slug}/{post.slug}/"
    assert post.url == post_url

    # 2. A visitor reads it: the text, the picture (loaded), the caption; no CSP complaint.
    visitor = new_page()
    visitor_console = console_errors(visitor)
    visitor.goto(post_url)
    article = visitor.locator("article.space-post")
    expect(article.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(article.locator(".prose")).to_contain_text(PARAGRAPH)
    picture = article.locator("figure.post-image img")
    expect(picture).to_have_attribute("alt", ALT)
    expect(article.locator("figure.post-image figcaption")).to_have_text(CAPTION)
    visitor.wait_for_load_state("load")
    assert picture.evaluate("img => img.complete && img.naturalWidth") == 640
    expect(visitor.get_by_role("link", name="Log in to comment.")).to_be_visible()
    visitor.wait_for_timeout(200)  # a late violation event still counts
    assert not new_page.csp_violations, new_page.csp_violations
    assert not visitor_console, visitor_console  # a CSP refusal is logged there too
    shoot(visitor, "spaces-05-public-post-with-image")

    # 3. Ben finds it from the Contributors page and comments, in Markdown.
    ben = new_page()
    log_in(ben, "ben", PASSWORD)
    ben.goto("/contributors/")
    ben.get_by_role("link", name="Rail notes").first.click()
    ben.get_by_role("link", name=TITLE).click()
    expect(ben).to_have_url(re.compile(re.escape(post_url) + "$"))
    ben.get_by_label("Your comment").fill(COMMENT)
    ben.get_by_role("button", name="Post comment").click()
    expect(ben).to_have_url(re.compile(re.escape(post_url) + "#comment-1$"))
    first = ben.locator("#comment-1")
    expect(first).to_contain_text("#1")
    expect(first.locator(".author")).to_have_text("Ben")
    expect(first.locator(".prose strong")).to_have_text("Vienna")
    expect(first.locator(".prose")).not_to_contain_text("**")
    expect(ben.locator("#comments-title")).to_have_text("1 comment")
    shoot(ben, "spaces-06-ben-commented")

    # 4. Cleo replies to #1 through its "Reply" link.
    cleo = new_page()
    log_in(cleo, "cleo", PASSWORD)
    cleo.goto(post_url)
    cleo.locator("#comment-1").get_by_role("link", name="Reply").click()
    expect(cleo.get_by_role("heading", level=1)).to_have_text("Reply to Ben (#1)")
    expect(cleo.locator("blockquote.quote-preview strong")).to_have_text("Vienna")
    cleo.get_by_label("Your comment").fill(REPLY)
    shoot(cleo, "spaces-07-cleo-writes-a-reply")
    cleo.get_by_role("button", name="Post comment").click()
    expect(cleo).to_have_url(re.compile(re.escape(post_url) + "#comment-2$"))
    comments = cleo.locator("ol.comment-thread > li.comment")
    expect(comments).to_have_count(2)
    assert comments.evaluate_all("items => items.map(item => item.id)") == ["comment-1", "comment-2"]
    second = cleo.locator("#comment-2")
    expect(cleo.locator("#comment-1")).to_have_class(re.compile(r"\bdepth-0\b"))
    expect(second).to_have_class(re.compile(r"\bdepth-1\b"))
    expect(second).to_contain_text("#2")
    expect(second.locator(".author")).to_have_text("Cleo")
    expect(second.locator(".prose")).to_have_text(REPLY)
    expect(cleo.locator("#comments-title")).to_have_text("2 comments")
    # Nested: the reply is set in from its parent, as a reader sees it.
    assert second.bounding_box()["x"] > cleo.locator("#comment-1").bounding_box()["x"] + 10
    reply = Comment.objects.get(number=2)
    assert reply.parent.number == 1 and reply.author.username == "cleo"

    # 5. The thread on a desktop, then the post on a phone: nothing wider than the screen.
    cleo.locator("#comments").scroll_into_view_if_needed()
    shoot(cleo, "spaces-08-thread-desktop")
    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone_console = console_errors(phone)
    log_in(phone, "ben", PASSWORD)
    phone.goto(post_url)
    phone.wait_for_load_state("load")
    expect(phone.locator("#comment-2")).to_have_class(re.compile(r"\bdepth-1\b"))
    assert phone.locator("figure.post-image img").evaluate("img => img.complete && img.naturalWidth") > 0
    widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    parent_box, reply_box = (phone.locator(f"#comment-{n}").bounding_box() for n in (1, 2))
    assert parent_box["x"] < reply_box["x"] and reply_box["x"] + reply_box["width"] <= widths[1]
    shoot(phone, "spaces-09-post-on-a-phone")
    phone.wait_for_timeout(200)
    assert not new_page.csp_violations, new_page.csp_violations
    assert not phone_console, phone_console


def console_errors(page):
    """What the page logs as errors in the console (the browser logs a CSP refusal there)."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


def test_publish_clicked_while_the_first_autosave_is_on_its_way_publishes_the_post(new_page, transactional_db):
    """Wagtail 8 autosaves a new page in the background, first to the "add" address (the page is
    created there), then to its edit page. A click on Publish while that first autosave is on its
    way must not send the form to the "add" address again (a second creation of the same page:
    "slug already in use", or a server error when both cross): it waits, then publishes the page
    the autosave made. The autosave's answer is held here until Publish is clicked."""
    cm = UserFactory(username="sam", roles=["Community managers"])
    lea = UserFactory(username="lea", display_name="Léa")
    space = create_space(actor=cm, owner=lea, kind="column", title="Rail notes")
    page = new_page()
    log_in(page, "lea", PASSWORD)
    answered = []  # (route, the server's answer) of autosaves, not yet given to the page
    server_errors = []
    page.on("response", lambda response: response.status >= 500 and server_errors.append(response.url))

    def hold_autosave_answers(route):
        if route.request.method == "POST" and "application/json" in (route.request.headers.get("accept") or ""):
            answered.append((route, route.fetch()))  # the server saves now; the page hears of it later
        else:
            route.continue_()

    page.route(re.compile(r"/cms/pages/"), hold_autosave_answers)
    page.goto(f"/cms/pages/add/blogs/spacepostpage/{space.pk}/")
    page.wait_for_timeout(2500)  # Wagtail notes the form's first state 2 s after load: edits come after
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_excerpt").fill(EXCERPT)
    deadline = time.monotonic() + 8
    while not answered and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert answered, "no autosave was sent"
    assert SpacePostPage.objects.filter(title=TITLE, live=False).count() == 1  # the autosave's draft

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    page.wait_for_timeout(300)  # time enough for a submission sent at once to reach the server
    route, response = answered.pop(0)
    route.fulfill(response=response)
    expect(page.locator(".messages")).to_contain_text(PUBLISHED)
    page.unroute(re.compile(r"/cms/pages/"))
    posts = SpacePostPage.objects.filter(title=TITLE)
    assert [(post.live, post.excerpt) for post in posts] == [(True, EXCERPT)]
    assert not server_errors, server_errors
