"""Contributor spaces in a real browser: Wagtail's editor (/cms/) publishes a new post even when
Publish is clicked while its autosave is on its way."""

import re
import time

import pytest

from blogs.models import SpacePostPage
from blogs.services import create_space
from tests.factories import PASSWORD, UserFactory

pytest.importorskip("playwright.sync_api", reason="browser layer: pip install playwright")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.helpers import log_in  # noqa: E402

pytestmark = pytest.mark.browser

TITLE = "Night trains across the Alps"
EXCERPT = "Six lines, one winter, and what I would book again."
# Wagtail's message: "created and published", or "has been published" when an autosave made the page.
PUBLISHED = re.compile(rf"Page '{TITLE}' (created and published|has been published)\.")


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
