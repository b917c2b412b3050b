"""The wiki in a real browser: two tabs editing one page (the conflict screen, then the three-way
merge), a red link that becomes blue once its page exists, and a page's history compared in the
browser — under the site's CSP, with no JavaScript error.

Members are signed in with a session cookie (Django's test client logs them in): the log-in form
has its own browser test (test_signup_journey.py), and each log-in through it costs page loads."""

import re

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory
from wiki.models import Page
from wiki.services.editing import create_page

pytest.importorskip("playwright.sync_api", reason="browser layer: pip install playwright")
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

PARAGRAPHS = [
    "Trains leave from platform one.",
    "Tickets are sold at the kiosk by the entrance.",
    "Bicycles travel free outside rush hours.",
    "Dogs on a lead are welcome in every carriage.",
    "Lost property is kept for a month at the station office.",
]


def text_of(paragraphs):
    return "\n\n".join(paragraphs)


def replaced(paragraphs, index, new):
    return [new if i == index else old for i, old in enumerate(paragraphs)]


@pytest.fixture
def wiki(transactional_db):
    """A community manager who started the wiki (its home page) and the member who edits it."""
    cm = UserFactory(username="sam", display_name="Sam", roles=["Community managers"])
    root = create_page(actor=cm, parent=None, title="Home", body="Welcome to the wiki.").page
    return {"cm": cm, "root": root, "member": UserFactory(username="maya", display_name="Maya")}


def signed_in(new_page, live_server, user):
    """A browser page (its own context) with `user` logged in, through a session cookie."""
    client = Client()
    client.force_login(user)
    page = new_page()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])
    return page


def console_errors(*pages):
    """What the pages log as errors in the console (the browser logs a CSP refusal there too), and
    their uncaught JavaScript errors (the `new_page` fixture watches the pages it opens, not a second tab)."""
    errors = []
    for page in pages:
        _collect_errors(page, errors)
    return errors


def _collect_errors(page, errors):
    page.on("console", lambda message: message.type == "error" and errors.append(f"{page.url}: {message.text}"))
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))


def open_editor(tab, path):
    tab.goto(f"/wiki/{path}_edit/")
    expect(tab.get_by_role("button", name="Save", exact=True)).to_be_visible()
    return tab.locator("#id_body")


def save(tab):
    """Click Save; the response to the POST (its status: 302 saved, 409 conflict)."""
    with tab.expect_response(lambda response: response.request.method == "POST") as posted:
        tab.get_by_role("button", name=re.compile(r"^Save")).click()
    tab.wait_for_load_state()
    return posted.value


def test_two_tabs_on_one_page_a_conflict_then_a_merge(new_page, live_server, wiki):
    member = wiki["member"]
    guide = create_page(actor=member, parent=wiki["root"], title="Station guide", body=text_of(PARAGRAPHS)).page
    first = signed_in(new_page, live_server, member)
    # A second tab of the same browser: the same session.
    second = first.context.new_page()
    errors = console_errors(first, second)

    # Both tabs open the editor on revision 1.
    first_body, second_body = open_editor(first, guide.path), open_editor(second, guide.path)
    expect(first_body).to_have_value(text_of(PARAGRAPHS))
    expect(second_body).to_have_value(text_of(PARAGRAPHS))

    # The first tab rewrites paragraph 1 and saves.
    mine_first = replaced(PARAGRAPHS, 0, "Trains leave from platform two since the works.")
    first_body.fill(text_of(mine_first))
    assert save(first).status == 302
    expect(first).to_have_url(re.compile(rf"/wiki/{guide.path}$"))
    expect(first.locator(".messages")).to_contain_text("Your changes are saved.")
    expect(first.locator(".wiki-body")).to_contain_text("platform two since the works")

    # The second tab, still on revision 1, rewrites the same paragraph: the conflict screen (409).
    mine_second = replaced(PARAGRAPHS, 0, "Trains leave from platform three on Sundays.")
    second_body.fill(text_of(mine_second))
    response = save(second)
    assert response.status == 409
    expect(second.get_by_role("alert").filter(has_text="Edit conflict")).to_contain_text(
        "Maya saved this page (revision 2) while you were editing")
    expect(second.get_by_role("heading", name="Your text", exact=True)).to_be_visible()
    # The member's own text is still there, the current version beside it, the difference below.
    expect(second.locator("#id_body")).to_have_value(text_of(mine_second))
    expect(second.locator("#wiki-current-text")).to_have_value(text_of(mine_first))
    diff = second.locator("table.wiki-line-diff")
    expect(diff.locator("tr.diff-del")).to_contain_text("platform two since the works")
    expect(diff.locator("tr.diff-ins")).to_contain_text("platform three on Sundays")

    # Saving again from the conflict screen is deliberate, and works.
    assert save(second).status == 302
    expect(second.locator(".messages")).to_contain_text("Your changes are saved.")
    expect(second.locator(".wiki-body")).to_contain_text("platform three on Sundays")
    expect(second.locator(".wiki-body")).not_to_contain_text("platform two")

    # Now the first tab opens the editor (revision 3) and leaves it open; the second tab changes
    # paragraph 3 and saves; the first tab's change to paragraph 5 is merged with it.
    first_body = open_editor(first, guide.path)
    expect(first_body).to_have_value(text_of(mine_second))
    second_body = open_editor(second, guide.path)
    second_body.fill(text_of(replaced(mine_second, 2, "Bicycles travel free all day.")))
    assert save(second).status == 302
    first_body.fill(text_of(replaced(mine_second, 4, "Lost property is kept for a week.")))
    assert save(first).status == 302
    expect(first.locator(".messages")).to_contain_text(
        "Maya saved the page while you were editing: your edit was merged with theirs.")
    body = first.locator(".wiki-body")
    for words in ("platform three on Sundays", "Bicycles travel free all day.", "Lost property is kept for a week."):
        expect(body).to_contain_text(words)
    expect(body).not_to_contain_text("outside rush hours")
    guide.refresh_from_db()
    assert guide.last_number == 5 and guide.current_revision.number == 5
    # The browser logs the 409 answer itself as a failed load; nothing else may be logged.
    conflict_logged = [line for line in errors if "status of 409 (Conflict)" in line]
    assert len(conflict_logged) == 1 and errors == conflict_logged, errors


def test_a_red_link_opens_the_create_form_and_turns_blue(new_page, live_server, wiki):
    create_page(actor=wiki["cm"], parent=wiki["root"], title="Getting here",
                body="By train, see the [[Missing page]]; by bus, ask at the desk.")
    page = signed_in(new_page, live_server, wiki["member"])
    errors = console_errors(page)

    page.goto("/wiki/getting-here/")
    link = page.locator(".wiki-body").get_by_role("link", name="Missing page")
    expect(link).to_have_class(re.compile(r"\bnew\b"))
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New page")
    expect(page.get_by_text("Its address will be /wiki/missing-page/")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Missing page")
    page.get_by_label("Text").fill("Platform times and the map of the station.")
    page.get_by_role("button", name="Create the page").click()
    expect(page).to_have_url(re.compile(r"/wiki/missing-page/$"))
    expect(page.locator(".messages")).to_contain_text("The page is created.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Missing page")

    page.goto("/wiki/getting-here/")
    link = page.locator(".wiki-body").get_by_role("link", name="Missing page")
    expect(link).to_have_attribute("href", "/wiki/missing-page/")
    expect(link).not_to_have_class(re.compile(r"\bnew\b"))
    link.click()
    expect(page.locator(".wiki-body")).to_contain_text("Platform times and the map of the station.")
    assert Page.objects.filter(path="missing-page/", title="Missing page").exists()
    assert not errors, errors


def test_history_lists_the_edits_and_the_diff_highlights_the_changed_words(new_page, live_server, wiki):
    create_page(actor=wiki["cm"], parent=wiki["root"], title="Timetable",
                body="The quick train leaves at noon.\n\nThe brown bus waits outside.")
    page = signed_in(new_page, live_server, wiki["member"])
    errors = console_errors(page)

    # Two edits through the Edit tab, each with a summary.
    for old, new, summary in (("quick", "swift", "Faster train"), ("brown", "red", "New buses")):
        page.goto("/wiki/timetable/")
        page.get_by_role("navigation", name="Page").get_by_role("link", name="Edit").click()
        body = page.locator("#id_body")
        body.fill(body.input_value().replace(old, new))
        page.get_by_label("Summary").fill(summary)
        assert save(page).status == 302
        expect(page.locator(".wiki-body")).to_contain_text(f"The {new} ")

    page.get_by_role("navigation", name="Page").get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="3 revisions")).to_be_visible()
    rows = page.locator("table.wiki-history-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("New buses")
    expect(rows.nth(0)).to_contain_text("Maya")
    expect(rows.nth(1)).to_contain_text("Faster train")
    expect(rows.nth(2)).to_contain_text("Sam")
    # The two newest are selected; compare the first text with the last instead.
    expect(page.get_by_label("Compare from revision 2")).to_be_checked()
    expect(page.get_by_label("Compare to revision 3")).to_be_checked()
    page.get_by_label("Compare from revision 1").check()
    page.get_by_role("button", name="Compare the selected revisions").click()
    expect(page).to_have_url(re.compile(r"/wiki/timetable/_diff/\?(?=.*\bfrom=1\b)(?=.*\bto=3\b)"))
    expect(page.get_by_role("heading", name="Differences between revisions 1 and 3")).to_be_visible()
    table = page.locator("table.wiki-diff")
    expect(table.locator("del")).to_have_text(["quick", "brown"])
    expect(table.locator("ins")).to_have_text(["swift", "red"])

    # The side-by-side view marks the same words.
    page.get_by_role("link", name="Side by side").click()
    table = page.locator("table.wiki-diff-side")
    expect(table.locator("del")).to_have_text(["quick", "brown"])
    expect(table.locator("ins")).to_have_text(["swift", "red"])
    assert not errors, errors
