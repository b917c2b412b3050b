"""The Content-Security-Policy in a real browser. Say a hole in the Markdown sanitizer let a script,
an event handler and a style attribute into a stored post: on the topic page none of them runs or
applies, the browser reports each as a violation — and htmx still works on that same page (the like
button swaps in place, with no violation of its own). The bell's polling works under the policy too.
Every other browser test fails on any violation (tests/browser/conftest.py)."""

import re
import time

import pytest

from forums.models import Post
from tests.factories import PASSWORD, ReplyFactory, TopicFactory, UserFactory

pytest.importorskip("playwright.sync_api", reason="browser layer: pip install playwright")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.helpers import log_in  # noqa: E402

pytestmark = pytest.mark.browser

INJECTED = (
    '<p id="injected">A reply with a surprise.</p>'
    "<script>window.__injectedScript = true; document.title = 'pwned';</script>"
    '<img id="injected-img" src="/static/nowhere.png" alt="" onerror="window.__injectedHandler = true">'
    '<p id="injected-style" style="color: rgb(255, 0, 0)">Red?</p>'
)


def test_an_injected_script_does_not_run_and_htmx_still_works(new_page, shoot, transactional_db):
    ana = UserFactory(username="ana")
    ben = UserFactory(username="ben")
    topic = TopicFactory(author=ana, title="Night trains across the Alps", body="Which line would you take?")
    reply = ReplyFactory(topic=topic, author=ben, body="The sleeper from Zurich.")
    # The sanitizer would never let this through: write it straight into the stored HTML.
    Post.objects.filter(pk=reply.pk).update(body_html=INJECTED)

    page = new_page()
    log_in(page, "ana", PASSWORD)
    page.goto(topic.get_absolute_url())
    expect(page.locator("#injected")).to_have_text("A reply with a surprise.")
    page.wait_for_function("document.readyState === 'complete'")

    # Nothing injected ran or applied…
    assert page.evaluate("window.__injectedScript") is None
    assert page.evaluate("window.__injectedHandler") is None
    assert page.title() != "pwned"
    assert page.locator("#injected-style").evaluate("el => getComputedStyle(el).color") != "rgb(255, 0, 0)"
    # …and the browser said why, once for each.
    expect_violations(page, new_page, {"script-src-elem", "script-src-attr", "style-src-attr"})
    shoot(page, "csp-01-injected-code-blocked")

    # htmx works on the same page: Ana likes Ben's reply, the button swaps in place, no reload.
    page.evaluate("window.__sameDocument = true")
    like = page.locator(f"#like-{reply.pk}")
    with page.expect_response(re.compile(rf"/forums/p/{reply.pk}/like/$")) as answer:
        like.get_by_role("button", name=re.compile("Like")).click()
    assert answer.value.status == 200
    expect(like.get_by_role("button")).to_have_attribute("aria-pressed", "true")
    expect(like.get_by_role("button")).to_contain_text("Liked")
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"
    assert reply.reactions.filter(user=ana).exists()
    shoot(page, "csp-02-htmx-like-swapped")
    # No violation from htmx (its indicator style, eval) or the page itself: checked by the fixture.


def expect_violations(page, new_page, directives):
    """The browser reports violations as events, a moment after the fact: wait for them."""
    deadline = time.monotonic() + 5
    while {line.split(" | ")[0] for line in new_page.csp_violations} < directives and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert {line.split(" | ")[0] for line in new_page.csp_violations} == directives, new_page.csp_violations
    new_page.csp_violations.clear()


def test_the_bell_asks_again_after_a_minute_on_a_visible_tab(new_page, transactional_db):
    ana = UserFactory(username="ana")
    page = new_page()
    page.clock.install()
    log_in(page, "ana", PASSWORD)
    topic = TopicFactory(author=ana, title="Night trains across the Alps", body="Which line?")
    ReplyFactory(topic=topic, author=UserFactory(username="ben"), body="The sleeper from Zurich.")
    bell = page.get_by_role("banner").locator("#bell")
    expect(bell.locator(".bell-count")).to_have_count(0)

    with page.expect_response(re.compile(r"/notifications/bell/$")) as answer:
        page.clock.run_for(61_000)
    assert answer.value.status == 200
    expect(bell.locator(".bell-count")).to_have_text("1")


def test_the_django_admin_works_under_the_same_policy(new_page, transactional_db):
    """The admin's scripts are files too: its pages run with no violation (checked by the fixture),
    and its JavaScript works — "select all" ticks every row of a list."""
    UserFactory(username="boss", roles=["Staff"], is_staff=True, is_superuser=True)
    forum_topic = TopicFactory(author=UserFactory(username="ana"), title="Night trains", body="Which line?")
    ReplyFactory(topic=forum_topic, author=UserFactory(username="ben"), body="The sleeper from Zurich.")
    page = new_page()
    page.goto("/admin/")
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.goto("/admin/forums/post/")
    page.locator("#action-toggle").check()
    expect(page.locator("input.action-select:checked")).to_have_count(2)
    expect(page.locator(".action-counter")).to_contain_text("2 of 2 selected")
    page.goto("/admin/community/user/")
    page.get_by_role("link", name="ana", exact=True).click()
    expect(page.get_by_role("heading", name="ana", exact=True)).to_be_visible()
    expect(page.locator(".datetimeshortcuts").first).to_be_visible()  # the admin's calendar script ran


def test_every_kind_of_page_runs_without_a_violation(new_page, transactional_db):
    """A CM walks every kind of page, a visitor the account pages: the fixture fails on any violation
    (an allauth script, a widget, a template that slipped in an inline style)."""
    cm = UserFactory(username="sam", roles=["Community managers"])
    ana = UserFactory(username="ana")
    topic = TopicFactory(author=ana, title="Night trains across the Alps", body="Which line would you take?")
    reply = ReplyFactory(topic=topic, author=cm, body="The sleeper from **Zurich**, @ana.")
    visitor = new_page()
    for url in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/forums/",
                topic.get_absolute_url(), "/nowhere/"]:
        visitor.goto(url)
        visitor.wait_for_load_state("load")

    page = new_page()
    log_in(page, "sam", PASSWORD)
    for url in ["/", "/forums/", topic.forum.get_absolute_url(), topic.get_absolute_url(),
                f"/forums/t/{topic.pk}/reply/?quote={reply.pk}", f"/forums/p/{reply.pk}/edit/",
                f"/forums/p/{reply.pk}/history/", f"{topic.forum.get_absolute_url()}new/", "/members/",
                "/members/ana/", "/accounts/profile/", "/accounts/email/", "/accounts/password/change/",
                "/notifications/", "/notifications/preferences/", "/moderation/", "/moderation/log/",
                "/moderation/words/", "/moderation/words/new/", "/moderation/members/ana/",
                f"/moderation/report/forums.post/{reply.pk}/", "/moderation/my-sanctions/", "/cm/",
                "/search/?q=ana", "/contributors/", "/wiki/", "/nowhere/"]:
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.locator("main").count() == 1, url
    page.wait_for_timeout(200)  # a late violation event still counts
