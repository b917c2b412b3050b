"""Small steps shared by the browser tests."""

import re
import time

from django.core import mail
from playwright.sync_api import expect

PASSWORD_LABEL = re.compile(r"^Password:?$")


def log_in(page, login, password):
    """Log in through the header link and allauth's form; end on a page showing "Log out"."""
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="Log in").click()
    page.get_by_label("Login").fill(login)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("banner").get_by_role("button", name="Log out")).to_be_visible()


def wait_for_mail(predicate, timeout=5.0):
    """The live server sends from its own thread: give it a moment, then return the matches."""
    deadline = time.monotonic() + timeout
    while True:
        found = [message for message in mail.outbox if predicate(message)]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def no_horizontal_scroll(page):
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
