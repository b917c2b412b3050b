"""The issue's scenario, in a real browser: sign up, confirm the email from the outbox, log in,
edit the profile. Screenshots of every step go to artifacts/screenshots/signup-*.png."""

import re

import pytest

from community.models import User
from tests.factories import UserFactory

pytest.importorskip("playwright.sync_api", reason="browser layer: pip install playwright")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.helpers import PASSWORD_LABEL, log_in, wait_for_mail  # noqa: E402

pytestmark = pytest.mark.browser

PASSWORD = "lantern-orchard-47"
CONFIRM_LINK = re.compile(r"(https?://\S+/accounts/confirm-email/\S+?/)")


def small_png(path):
    from PIL import Image

    Image.new("RGB", (64, 64), (11, 92, 173)).save(path, format="PNG")
    return path


def test_a_visitor_signs_up_confirms_logs_in_and_edits_their_profile(
        page, live_server, mailoutbox, shoot, tmp_path, transactional_db):
    UserFactory(username="maya", display_name="Maya")  # someone to mention

    # Home page, then "Sign up" in the header.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome to Tribune")
    shoot(page, "signup-01-home")
    page.get_by_role("banner").get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))

    # A mismatched password: a clear error, and what was typed is kept.
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Email").fill("lena@example.com")
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Password (again)").fill("lantern-orchard-48")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_text("You must type the same password each time.")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("lena")
    expect(page.get_by_label("Email")).to_have_value("lena@example.com")
    assert not User.objects.filter(username="lena").exists()
    shoot(page, "signup-02-form-error")

    # Then correctly: the site says a verification email is on its way.
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    expect(page.get_by_text("We have sent an email to you for verification")).to_be_visible()
    shoot(page, "signup-03-verification-sent")

    # The confirmation email, with a link to this very server.
    sent = wait_for_mail(lambda m: m.to == ["lena@example.com"])
    assert len(sent) == 1, [m.subject for m in mailoutbox]
    link = CONFIRM_LINK.search(sent[0].body).group(1)
    assert link.startswith(live_server.url), (link, live_server.url)
    page.goto(link)
    expect(page.get_by_role("heading", name="Confirm Email Address")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("lena@example.com")
    shoot(page, "signup-04-confirm")
    page.get_by_role("button", name="Confirm").click()

    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION: confirming in the signup's browser logs them in.
    header = page.get_by_role("banner")
    expect(header.get_by_role("button", name="Log out")).to_be_visible()
    expect(header.get_by_role("link", name="lena", exact=True)).to_be_visible()
    shoot(page, "signup-05-welcome")
    welcome = wait_for_mail(lambda m: "Welcome" in m.subject)
    assert len(welcome) == 1, [m.subject for m in mailoutbox]
    assert welcome[0].to == ["lena@example.com"]

    # Log out, and back in with the email address this time.
    header.get_by_role("button", name="Log out").click()
    expect(header.get_by_role("link", name="Log in")).to_be_visible()
    log_in(page, "lena@example.com", PASSWORD)
    shoot(page, "signup-06-logged-in-by-email")

    # The profile editor, from the header's name link and the profile page.
    header.get_by_role("link", name="lena", exact=True).click()
    expect(page).to_have_url(re.compile(r"/members/lena/$"))
    page.get_by_role("main").get_by_role("link", name="Edit my profile").click()
    expect(page.get_by_role("heading", name="Edit my profile")).to_be_visible()
    expect(page.get_by_label("Remove my current avatar")).to_have_count(0)  # there is none yet
    page.get_by_label("Display name").fill("Lena Moreau")
    page.get_by_label("About me").fill("I write about **night trains**.\n\nSay hello to @maya!")
    page.get_by_label("Website").fill("https://lena.example.org")
    page.get_by_label(re.compile(r"^Avatar")).set_input_files(str(small_png(tmp_path / "lena.png")))
    shoot(page, "signup-07-profile-edit")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")
    expect(page.get_by_label("Remove my current avatar")).not_to_be_checked()
    shoot(page, "signup-08-profile-saved")

    # The public profile shows it all: name, rendered Markdown, mention link, website, avatar.
    page.goto("/members/lena/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Lena Moreau")
    expect(main.locator(".prose strong")).to_have_text("night trains")
    expect(main.locator(".prose a.mention")).to_have_attribute("href", "/members/maya/")
    expect(main.get_by_role("link", name="https://lena.example.org")).to_be_visible()
    avatar = main.locator("img.avatar")
    expect(avatar).to_have_attribute("src", re.compile(r"^/media/avatars/\d+/.+\.png$"))
    expect(avatar).to_be_visible()
    assert avatar.evaluate("img => img.complete && img.naturalWidth") == 64
    expect(header.get_by_role("link", name="Lena Moreau")).to_be_visible()
    shoot(page, "signup-09-public-profile")
