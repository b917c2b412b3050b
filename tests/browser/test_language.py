"""The footer's language switch, in a real browser: visitors keep their choice in a cookie,
members on their profile. Screenshots: artifacts/screenshots/french-*.png."""

import re

import pytest

from tests.factories import PASSWORD, UserFactory

pytest.importorskip("playwright.sync_api", reason="browser layer: pip install playwright")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.helpers import log_in  # noqa: E402

pytestmark = pytest.mark.browser


def switch_language(page, label):
    footer = page.get_by_role("contentinfo")
    footer.get_by_role("combobox").select_option(label=label)
    footer.get_by_role("button").click()


def test_a_visitor_switches_the_site_to_french(new_page, shoot, transactional_db):
    member = UserFactory(username="maya", language="")

    # A visitor: the switch answers on the page they were on, and the choice sticks.
    page = new_page()
    page.goto("/members/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switch_language(page, "Français")
    expect(page).to_have_url(re.compile(r"/members/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("contentinfo").get_by_role("combobox")).to_have_value("fr")
    shoot(page, "french-01-home")

    # A member: the choice is stored on their account, and follows them without the cookie.
    page = new_page()
    log_in(page, "maya", PASSWORD)
    switch_language(page, "Français")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    member.refresh_from_db()
    assert member.language == "fr"
    page.context.clear_cookies(name="django_language")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("banner").get_by_role("link", name="Maya")).to_be_visible()
    shoot(page, "french-02-member-home")

    # And back to English, from French.
    switch_language(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    member.refresh_from_db()
    assert member.language == "en"
