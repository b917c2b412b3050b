"""The browser layer: Playwright's sync API driving Debian's chromium against pytest-django's
live server (a thread of this process, so `mailoutbox` sees the emails the site sends).

Run with `make test-browser`. Screenshots go to artifacts/screenshots/, which CI keeps.
"""

import os
import re
import shutil
from importlib import import_module
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission

# Playwright's sync API runs an asyncio loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told it is safe (it is: the loop is idle while we query).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TRIBUNE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
# Generous for a cold first page (static files, first query), short enough to fail fast.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def playwright_instance():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.skip(f"browser layer: the playwright package is not installed ({exc}); "
                    "pip install playwright")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"browser layer: no chromium at {CHROMIUM}; apt-get install chromium "
                    "(or set TRIBUNE_CHROMIUM)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    try:
        browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as exc:  # a broken chromium install is an environment problem, say so
        pytest.skip(f"browser layer: chromium at {CHROMIUM} did not start: {exc}")
    yield browser
    browser.close()


@pytest.fixture
def browser_settings(settings):
    """The live server speaks plain http: let the session and CSRF cookies travel over it, and
    serve uploaded files (avatars) as `make demo` does."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.ROOT_URLCONF = "tests.browser.urls"
    return settings


# Every page of every browser test reports what the Content-Security-Policy blocked (the listener is
# installed by the browser before any script of the page runs, and is not subject to the policy).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__tribuneCspViolation([event.effectiveDirective, event.blockedURI, event.sample].join(" | "));
});
"""


@pytest.fixture
def new_page(browser, live_server, browser_settings):
    """`new_page()` opens a page in a fresh browser context (its own cookies): one visitor each.
    Keyword arguments go to `browser.new_context` (viewport, locale, ...).

    A JavaScript error or a Content-Security-Policy violation on any page fails the test; a test that
    provokes violations on purpose reads and empties `new_page.csp_violations`."""
    contexts, errors, violations = [], [], []

    def new_page(**options):
        options = {"viewport": {"width": 1280, "height": 900}, "locale": "en-US",
                   "reduced_motion": "reduce", **options}
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        context.expose_function("__tribuneCspViolation", lambda line: violations.append(line))
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
        return page

    new_page.csp_violations = violations
    yield new_page
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not violations, f"Content-Security-Policy violations: {violations}"


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(scope="session")
def screenshot_dir():
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture
def shoot(screenshot_dir):
    """`shoot(page, "signup-03-error")` saves a full-page PNG of what the page shows now."""

    def shoot(page, name):
        assert re.fullmatch(r"[a-z0-9-]+", name), name
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        return path

    return shoot


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """The role groups come from a data migration, and an earlier transactional test's flush
    removed them (post_migrate brings back permissions, not groups): put them back, so that
    members may post. (As tests/integration does.)"""
    for name, dotted in import_module("community.migrations.0002_roles").ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([Permission.objects.get(content_type__app_label=app_label, codename=codename)
                               for app_label, codename in (perm.split(".") for perm in dotted)])
