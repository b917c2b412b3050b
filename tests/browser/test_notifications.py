"""The bell, in a real browser: a reply to a member's topic raises her bell, the inbox tells who
replied, and opening the line lands on the reply and lowers the bell. Then the bell's htmx refresh,
without a reload. Screenshots: artifacts/screenshots/notifications-*.png.

The fan-out runs after commit through the outbox (community.events), in eager mode: for a reply
posted through the browser it runs in the live server's request thread, for one made here with
ReplyFactory in the test's thread (live_server needs transactional_db: every write commits)."""

import re

import pytest

from community.models import User
from community.notifications.models import Notification
from tests.factories import PASSWORD, ReplyFactory, TopicFactory, UserFactory

pytest.importorskip("playwright.sync_api", reason="browser layer: pip install playwright")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.helpers import log_in  # noqa: E402

pytestmark = pytest.mark.browser

TITLE = "Night trains across the Alps"
REPLY = "The sleeper from Zurich to Vienna is worth every minute of the detour."


def members_and_topic():
    """Ana (confirmed email, as every UserFactory member) started a topic; Ben may reply."""
    ana = UserFactory(username="ana")
    ben = UserFactory(username="ben")
    topic = TopicFactory(author=ana, title=TITLE, body="Which line would you take, and why?")
    return ana, ben, topic


def bell_of(page):
    return page.get_by_role("banner").locator("#bell")


def test_a_member_sees_the_bell_count_opens_the_notification_and_lands_on_the_reply(
        new_page, shoot, transactional_db):
    ana, _ben, topic = members_and_topic()

    # Ben logs in, opens Ana's topic and replies through the form (mentioning nobody).
    ben_page = new_page()
    log_in(ben_page, "ben", PASSWORD)
    ben_page.goto(topic.get_absolute_url())
    expect(ben_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    ben_page.get_by_label("Your reply").fill(REPLY)
    shoot(ben_page, "notifications-01-ben-writes-a-reply")
    ben_page.get_by_role("button", name="Post reply").click()
    expect(ben_page).to_have_url(re.compile(re.escape(topic.get_absolute_url()) + "#post-2$"))
    expect(ben_page.locator("#post-2")).to_contain_text(REPLY)
    shoot(ben_page, "notifications-02-ben-replied")

    # The outbox fanned out in the server's request thread, after commit: one notification, for Ana.
    notifications = list(Notification.objects.values_list("recipient__username", "kind"))
    assert notifications == [("ana", "reply")], notifications
    assert User.objects.get(pk=ana.pk).unread_notifications == 1

    # Ana logs in (her own browser context): the bell shows 1, and says it to a screen reader.
    page = new_page()
    log_in(page, "ana", PASSWORD)
    bell = bell_of(page)
    expect(bell.locator(".bell-count")).to_have_text("1")
    expect(bell.locator(".bell-count")).to_be_visible()
    expect(bell.locator(".visually-hidden")).to_have_text("1 unread notification")
    expect(page.get_by_role("banner").get_by_role("link", name="1 unread notification")).to_be_visible()
    shoot(page, "notifications-03-ana-bell-shows-one")

    # The bell opens the inbox: one unread line, "Ben replied to “<title>”".
    bell.click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Notifications")
    lines = main.locator("li.notification")
    expect(lines).to_have_count(1)
    expect(lines.first).to_have_class(re.compile(r"\bunread\b"))
    link = lines.first.locator("a.notification-link")
    expect(link).to_have_text(f"Unread: Ben replied to “{TITLE}”")
    expect(link.locator("strong")).to_have_text("Ben")
    shoot(page, "notifications-04-ana-inbox")

    # Opening the line lands on the reply, in the topic page; the bell has no count any more.
    # (Click the words a member sees: the link's first box is its 1 px, clipped "Unread:" span, so
    # Playwright's default click point, the centre of that box, falls through to the line.)
    link.locator("strong").click()
    expect(page).to_have_url(re.compile(re.escape(topic.get_absolute_url()) + "#post-2$"))
    reply = page.locator("#post-2")
    expect(reply).to_contain_text(REPLY)
    expect(reply.get_by_role("link", name="Ben", exact=True)).to_be_visible()
    expect(reply).to_be_in_viewport()
    expect(bell.locator(".bell-count")).to_have_count(0)
    expect(bell.locator(".visually-hidden")).to_have_text("Notifications")
    shoot(page, "notifications-05-ana-lands-on-the-reply")
    assert User.objects.get(pk=ana.pk).unread_notifications == 0
    assert not Notification.objects.filter(recipient=ana, read_at__isnull=True).exists()


def test_the_bell_updates_without_a_reload(new_page, shoot, transactional_db):
    ana, ben, topic = members_and_topic()

    # Ana keeps the home page open, bell at zero.
    page = new_page()
    log_in(page, "ana", PASSWORD)
    bell = bell_of(page)
    expect(bell.locator(".bell-count")).to_have_count(0)
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    shoot(page, "notifications-06-bell-at-zero")

    # Ben replies (server-side; the transaction commits and the fan-out runs in this thread).
    ReplyFactory(topic=topic, author=ben, body=REPLY)
    assert User.objects.get(pk=ana.pk).unread_notifications == 1

    # Ana comes back to the tab: htmx asks for the bell again and swaps it in place.
    with page.expect_response(re.compile(r"/notifications/bell/$")) as bell_response:
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    assert bell_response.value.status == 200
    expect(bell.locator(".bell-count")).to_have_text("1")
    expect(bell.locator(".visually-hidden")).to_have_text("1 unread notification")
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"
    shoot(page, "notifications-07-bell-updated")
