"""The moderation tools in a real browser, as a community manager uses them: a reported reply
hidden from the review queue with one htmx click, a watched word tested on recent content then
saved with "require approval" (the held reply approved from the queue), a censored word masked on
the topic page, and a new member's link limit. Screenshots: artifacts/screenshots/moderation-*.png.

The outbox runs in eager mode here (no REDIS_URL): the spam check and the watched-word hits of a
reply posted through the browser run in the live server's request thread, after commit; those of
content made here with the factories run in the test's thread (every write commits: live_server
needs transactional_db). Visitors get the anonymous page cache, so the visitor checks below also
check that moderation invalidates it."""

import re

import pytest

from moderation import sanctions
from moderation.models import WatchedWord
from tests.factories import PASSWORD, ForumFactory, ReplyFactory, TopicFactory, UserFactory

pytest.importorskip("playwright.sync_api", reason="browser layer: pip install playwright")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.helpers import log_in  # noqa: E402

pytestmark = pytest.mark.browser

MASK = "■"


def community():
    """A public forum, a CM (Sam), and members: Ana starts topics, Ben and Cleo reply and read."""
    forum = ForumFactory(name="Travel", slug="travel")
    cm = UserFactory(username="sam", display_name="Sam", roles=["Community managers"])
    ana = UserFactory(username="ana", display_name="Ana")
    ben = UserFactory(username="ben", display_name="Ben")
    cleo = UserFactory(username="cleo", display_name="Cleo")
    return forum, cm, ana, ben, cleo


def open_queue(page):
    """The CM's way in: the header's "Moderation" link."""
    page.get_by_role("banner").get_by_role("link", name="Moderation").click()
    expect(page).to_have_url(re.compile(r"/moderation/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")


def queue_row(page, text):
    return page.locator("li.queue-item").filter(has_text=text)


def decide_in_place(page, row, button, confirmation):
    """Click a decision in a queue row: htmx swaps the row, the document and its URL stay."""
    url = page.url
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    with page.expect_response(re.compile(r"/moderation/decide/$")) as response:
        row.get_by_role("button", name=button, exact=True).click()
    assert response.value.status == 200
    assert response.value.request.headers.get("hx-request") == "true", "not sent by htmx"
    expect(row.get_by_role("status")).to_have_text(confirmation)
    assert page.url == url, f"the URL changed: {url} -> {page.url}"
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"


def add_watched_word(page, phrase, action):
    """From the watched words page, through "Watch a new word", without testing first."""
    page.goto("/moderation/words/")
    page.get_by_role("main").get_by_role("link", name="Watch a new word").click()
    page.get_by_label("Word or phrase").fill(phrase)
    page.get_by_role("radio", name=action).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url(re.compile(r"/moderation/words/$"))
    expect(page.get_by_role("status")).to_contain_text(f"“{phrase}” is saved.")


def post_reply(page, topic, body):
    page.goto(topic.get_absolute_url())
    page.get_by_label("Your reply").fill(body)
    page.get_by_role("button", name="Post reply").click()


def test_a_reported_reply_is_hidden_from_the_review_queue(new_page, shoot, transactional_db):
    forum, cm, ana, ben, cleo = community()
    topic = TopicFactory(forum=forum, author=ana, title="Night trains across the Alps",
                         body="Which line would you take, and why?")
    rant = "Only idiots take the night train. Everyone in this thread is clueless."
    ReplyFactory(topic=topic, author=ben, body=rant)
    # Ben has history: an earlier warning, which the CM should see next to the report.
    sanctions.sanction_member(actor=cm, member=ben, kind="warn", reason="Insults in the bikes forum")

    # A visitor reads the topic (the anonymous page cache now holds it, reply included).
    visitor = new_page()
    visitor.goto(topic.get_absolute_url())
    expect(visitor.locator("#post-2")).to_contain_text(rant)

    # Cleo reports Ben's reply through the "Report" link under it.
    cleo_page = new_page()
    log_in(cleo_page, "cleo", PASSWORD)
    cleo_page.goto(topic.get_absolute_url())
    cleo_page.locator("#post-2").get_by_role("link", name="Report").click()
    expect(cleo_page.get_by_role("heading", level=1)).to_have_text("Report this post")
    expect(cleo_page.locator("blockquote.excerpt")).to_contain_text(rant)
    cleo_page.get_by_role("radio", name="Abuse or harassment").check()
    cleo_page.get_by_label("Anything the moderators should know?").fill("Second time this week.")
    shoot(cleo_page, "moderation-01-cleo-reports-a-reply")
    cleo_page.get_by_role("button", name="Send the report").click()
    expect(cleo_page).to_have_url(re.compile(re.escape(topic.get_absolute_url()) + "#post-2$"))
    expect(cleo_page.get_by_role("status")).to_have_text(
        "Thank you: your report was sent to the moderators.")

    # Sam, the CM, opens the queue: the reply, the reason, Cleo's note and Ben's history.
    page = new_page()
    log_in(page, "sam", PASSWORD)
    open_queue(page)
    row = queue_row(page, rant)
    expect(row).to_have_count(1)
    expect(row.locator("blockquote.excerpt")).to_have_text(rant)
    expect(row).to_contain_text("1 open report: Abuse or harassment")
    report = row.locator("ul.reports li")
    expect(report).to_contain_text("Abuse or harassment — @cleo: Second time this week.")
    expect(report.get_by_role("link", name="Escalate this report to staff")).to_be_visible()  # (the CM workspace's)
    expect(row).to_contain_text("By Ben (@ben), member for")
    expect(row).to_contain_text("1 earlier sanction: Warning (")
    expect(row).to_contain_text("Insults in the bikes forum")
    expect(row.get_by_role("link", name="Sanctions of this member")).to_have_attribute(
        "href", "/moderation/members/ben/")
    expect(row.get_by_role("link", name="View in context")).to_be_visible()
    shoot(page, "moderation-02-queue-with-the-report")

    # "Hide": the row is swapped in place, says "Hidden.", and the report is resolved.
    decide_in_place(page, row, "Hide", "Hidden.")
    expect(row.locator("header .badge").filter(has_text=re.compile(r"^Hidden$"))).to_be_visible()
    expect(row).not_to_contain_text("open report")
    shoot(page, "moderation-03-queue-row-hidden")

    # The reply is gone for a member and for the visitor (whose cached page was invalidated).
    cleo_page.goto(topic.get_absolute_url())
    expect(cleo_page.locator("#post-1")).to_contain_text("Which line would you take")
    expect(cleo_page.get_by_role("main")).not_to_contain_text(rant)
    expect(cleo_page.get_by_role("main")).to_contain_text("0 replies")
    visitor.reload()
    expect(visitor.locator("#post-1")).to_contain_text("Which line would you take")
    expect(visitor.get_by_role("main")).not_to_contain_text(rant)
    shoot(visitor, "moderation-04-visitor-no-longer-sees-the-reply")

    # A fresh load of the queue no longer lists it.
    page.reload()
    expect(queue_row(page, rant)).to_have_count(0)


def test_a_watched_word_tested_then_saved_holds_a_reply_until_a_cm_approves_it(
        new_page, shoot, transactional_db):
    forum, cm, ana, ben, cleo = community()
    topic = TopicFactory(forum=forum, author=ana, title="Paying for ferries",
                         body="Has anyone paid a Greek ferry in cryptocurrency?")

    # Sam adds "crypto*" and first tests it on the last 30 days: Ana's question would be caught.
    page = new_page()
    log_in(page, "sam", PASSWORD)
    open_queue(page)
    page.get_by_role("main").get_by_role("link", name="Watched words").click()
    expect(page).to_have_url(re.compile(r"/moderation/words/$"))
    page.get_by_role("main").get_by_role("link", name="Watch a new word").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Watch a new word")
    page.get_by_label("Word or phrase").fill("crypto*")
    page.get_by_role("radio", name="Require approval — hold in the review queue").check()
    page.get_by_role("button", name="Test on recent content").click()
    results = page.locator("#test-results")
    expect(results.get_by_role("heading", level=2)).to_have_text("“crypto*” would have caught 1 item")
    match = results.locator("ul.test-matches li")
    expect(match).to_have_count(1)
    expect(match).to_contain_text("@ana")
    # The excerpt of an opening post is the topic's title and text.
    expect(match.get_by_role("link")).to_contain_text("Has anyone paid a Greek ferry in cryptocurrency?")
    # The form kept what Sam typed, and nothing was saved yet.
    expect(page.get_by_label("Word or phrase")).to_have_value("crypto*")
    expect(page.get_by_role("radio", name="Require approval — hold in the review queue")).to_be_checked()
    assert not WatchedWord.objects.exists()
    shoot(page, "moderation-05-watched-word-tested")

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url(re.compile(r"/moderation/words/$"))
    expect(page.get_by_role("status")).to_have_text("“crypto*” is saved.")
    word_row = page.locator("table.watched-words tbody tr")
    expect(word_row).to_have_count(1)
    expect(word_row.locator("td").nth(0)).to_have_text("crypto*")
    expect(word_row.locator("td").nth(1)).to_have_text("Require approval — hold in the review queue")
    expect(word_row.locator("td").nth(2)).to_have_text("Enabled")
    shoot(page, "moderation-06-watched-word-saved")

    # Ben replies with the word: his reply is awaiting review, and he is told why he alone sees it.
    reply = "Crypto worked for me on the Naxos line, the clerk did not even blink."
    ben_page = new_page()
    log_in(ben_page, "ben", PASSWORD)
    post_reply(ben_page, topic, reply)
    expect(ben_page).to_have_url(re.compile(re.escape(topic.get_absolute_url()) + "#post-2$"))
    ben_post = ben_page.locator("#post-2")
    expect(ben_post).to_contain_text(reply)
    expect(ben_post.locator(".badge")).to_have_text("Awaiting review")
    expect(ben_post.get_by_role("status")).to_contain_text(
        "Only you and the moderators can see this post until it is checked.")
    shoot(ben_page, "moderation-07-ben-reply-awaiting-review")

    # Cleo (a member) and a visitor do not see it.
    cleo_page = new_page()
    log_in(cleo_page, "cleo", PASSWORD)
    cleo_page.goto(topic.get_absolute_url())
    expect(cleo_page.locator("#post-1")).to_be_visible()
    expect(cleo_page.get_by_role("main")).not_to_contain_text(reply)
    visitor = new_page()
    visitor.goto(topic.get_absolute_url())
    expect(visitor.locator("#post-1")).to_be_visible()
    expect(visitor.get_by_role("main")).not_to_contain_text(reply)

    # Sam finds it in the queue, held, with the word that held it, and approves it in place.
    open_queue(page)
    row = queue_row(page, reply)
    expect(row).to_have_count(1)
    expect(row.locator("header")).to_contain_text("Held for review")
    expect(row.locator("header")).to_contain_text("Awaiting review")
    words = row.locator("p").filter(has_text="Watched words:")
    expect(words).to_contain_text("Watched words: “crypto*”")
    shoot(page, "moderation-08-queue-held-by-a-watched-word")
    decide_in_place(page, row, "Approve", "Approved.")
    expect(row.locator("header .badge").filter(has_text=re.compile(r"^Published$"))).to_be_visible()
    expect(row.locator("header")).not_to_contain_text("Held for review")
    shoot(page, "moderation-09-queue-row-approved")

    # Now everyone sees it, and Ben's badge is gone.
    cleo_page.reload()
    expect(cleo_page.locator("#post-2")).to_contain_text(reply)
    expect(cleo_page.get_by_role("main")).to_contain_text("1 reply")
    visitor.reload()
    expect(visitor.locator("#post-2")).to_contain_text(reply)
    ben_page.reload()
    expect(ben_page.locator("#post-2")).to_contain_text(reply)
    expect(ben_page.locator("#post-2 .badge")).to_have_count(0)
    shoot(cleo_page, "moderation-10-cleo-sees-the-approved-reply")


def test_a_censored_word_is_masked_on_the_topic_page(new_page, shoot, transactional_db):
    forum, cm, ana, ben, cleo = community()
    topic = TopicFactory(forum=forum, author=ana, title="Chain keeps skipping",
                         body="My darn chain skips on the big cog. Ideas?")

    # A visitor reads the topic before the word is censored (the page cache holds it unmasked).
    visitor = new_page()
    visitor.goto(topic.get_absolute_url())
    expect(visitor.locator("#post-1 .prose")).to_have_text("My darn chain skips on the big cog. Ideas?")

    page = new_page()
    log_in(page, "sam", PASSWORD)
    add_watched_word(page, "darn", "Censor — mask the word when shown")
    expect(page.locator("table.watched-words tbody tr td").nth(1)).to_have_text(
        "Censor — mask the word when shown")

    # Ben replies with the word (twice, once capitalized): he sees it masked on the topic page.
    ben_page = new_page()
    log_in(ben_page, "ben", PASSWORD)
    post_reply(ben_page, topic, "Darn, same here. A new darn chain fixed it.")
    expect(ben_page).to_have_url(re.compile(re.escape(topic.get_absolute_url()) + "#post-2$"))
    masked = f"{MASK * 4}, same here. A new {MASK * 4} chain fixed it."
    expect(ben_page.locator("#post-2 .prose")).to_have_text(masked)
    expect(ben_page.locator("#post-2 .badge")).to_have_count(0)  # published, not held
    expect(ben_page.locator("#post-1 .prose")).to_have_text(f"My {MASK * 4} chain skips on the big cog. Ideas?")
    expect(ben_page.get_by_role("main")).not_to_contain_text(re.compile("darn", re.IGNORECASE))
    shoot(ben_page, "moderation-11-censored-word-masked")

    # The visitor's cached page follows: both posts masked.
    visitor.reload()
    expect(visitor.locator("#post-1 .prose")).to_have_text(f"My {MASK * 4} chain skips on the big cog. Ideas?")
    expect(visitor.locator("#post-2 .prose")).to_have_text(masked)
    expect(visitor.get_by_role("main")).not_to_contain_text(re.compile("darn", re.IGNORECASE))


def test_a_new_member_with_too_many_links_keeps_her_text(new_page, shoot, transactional_db):
    forum, cm, ana, ben, cleo = community()
    topic = TopicFactory(forum=forum, author=ana, title="Cheap sleepers to Vienna",
                         body="Where do you book?")
    UserFactory(username="nina", display_name="Nina", trust_level=0)

    text = ("I compare three sites: [ÖBB](https://www.oebb.at/en/) for the Nightjet, "
            "[Seat 61](https://www.seat61.com/) for advice and <https://www.thetrainline.com/> to book.")
    page = new_page()
    log_in(page, "nina", PASSWORD)
    page.goto(topic.get_absolute_url())
    page.get_by_label("Your reply").fill(text)
    with page.expect_response(re.compile(r"/reply/$")) as response:
        page.get_by_role("button", name="Post reply").click()
    assert response.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply to “Cheap sleepers to Vienna”")
    alert = page.locator(".form-errors[role=alert]")
    expect(alert).to_contain_text("New members can put at most 2 links in a post (this one has 3).")
    expect(alert).to_contain_text("your text is kept below")
    expect(page.get_by_label("Your reply")).to_have_value(text)
    shoot(page, "moderation-12-new-member-too-many-links")

    # She drops one link and sends it again from the same form: it goes through.
    page.get_by_label("Your reply").fill(text.replace(" and <https://www.thetrainline.com/> to book", ""))
    page.get_by_role("button", name="Post reply").click()
    expect(page).to_have_url(re.compile(re.escape(topic.get_absolute_url()) + "#post-2$"))
    expect(page.locator("#post-2")).to_contain_text("I compare three sites")
    expect(page.locator("#post-3")).to_have_count(0)  # the refused attempt left nothing behind
    # Her post was held for the automatic check, which found it clean: it is published.
    expect(page.locator("#post-2 .badge")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("1 reply")
    shoot(page, "moderation-13-new-member-reply-with-two-links")
