"""Keyboard users and phones: landmarks, the skip link, no sideways scrolling at 390 px.
Screenshots: artifacts/screenshots/phone-*.png."""

import re

import pytest

from tests.factories import PASSWORD, UserFactory

pytest.importorskip("playwright.sync_api", reason="browser layer: pip install playwright")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.helpers import log_in, no_horizontal_scroll  # noqa: E402

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}


def test_keyboard_and_phone(new_page, shoot, transactional_db):
    UserFactory(username="maya", display_name="Maya Lindqvist-Okonkwo")

    page = new_page(**PHONE)
    page.goto("/")
    assert no_horizontal_scroll(page), "the home page scrolls sideways at 390 px"
    shoot(page, "phone-01-home")

    # The landmarks a screen reader lists, once each.
    for role in ("banner", "main", "contentinfo", "search"):
        expect(page.get_by_role(role)).to_have_count(1)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()

    # The first Tab stop is "Skip to content", visible when focused; it lands in <main>.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    shoot(page, "phone-02-skip-link")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.get_by_role("main")).to_be_focused()

    # The account pages and a member's header fit a phone too.
    for path, name in [("/accounts/signup/", "phone-03-signup"), ("/accounts/login/", "phone-04-login"),
                       ("/members/", "phone-05-members")]:
        page.goto(path)
        assert no_horizontal_scroll(page), f"{path} scrolls sideways at 390 px"
        shoot(page, name)
    log_in(page, "maya", PASSWORD)
    page.goto("/members/maya/")
    assert no_horizontal_scroll(page), "the profile page scrolls sideways at 390 px"
    # A long display name in the header must not squeeze the search box to nothing.
    search_box = page.get_by_role("banner").get_by_role("searchbox").bounding_box()
    assert search_box["width"] >= 120, search_box
    expect(page.get_by_role("banner").get_by_role("link", name="Notifications")).to_be_visible()
    shoot(page, "phone-06-member-profile")
