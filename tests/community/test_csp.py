"""The Content-Security-Policy header: present and strict on every kind of page — pages, forms, error
pages, allauth's, the Django admin, a page served from the anonymous page cache — and the templates
give it nothing to forbid (no inline script, style or event handler). The browser layer shows what the
policy does (tests/browser/test_csp.py)."""

import re
from pathlib import Path

import pytest
from csp.constants import SELF, UNSAFE_INLINE
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path

from community.notifications.models import Notification
from tests.factories import ForumFactory, ReplyFactory, TopicFactory, UserFactory

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: https:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'self'",
    "form-action": "'self'",
}


def policy(response) -> dict:
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def refused(request):
    raise PermissionDenied("Only the gardener may water the plants.")


def suspicious(request):
    raise SuspiciousOperation("Odd request.")


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("test/refused/", refused),
    path("test/suspicious/", suspicious),
    path("test/broken/", broken),
    path("", include("community.urls")),
]


@pytest.fixture
def world(db, member, cm, staff):
    forum = ForumFactory(name="Bikes", slug="bikes")
    topic = TopicFactory(forum=forum, author=member, title="Tubeless tyres", body="Worth it?")
    reply = ReplyFactory(topic=topic, author=UserFactory(username="rider"), body="Yes.")
    Notification.objects.create(recipient=member, kind="reply", group_key=f"reply:topic:{topic.pk}",
                                data={"title": topic.title, "url": reply.get_absolute_url()})
    return {"forum": forum, "topic": topic, "post": reply}


def pages(world):
    forum, topic, post = world["forum"], world["topic"], world["post"]
    return {
        # (who, url, expected status)
        "home": (None, "/", 200),
        "forum index": (None, "/forums/", 200),
        "forum": (None, forum.get_absolute_url(), 200),
        "topic": (None, topic.get_absolute_url(), 200),
        "feed": (None, "/forums/feed/", 200),
        "post form": ("member", f"/forums/t/{topic.pk}/reply/", 200),
        "topic form": ("member", f"{forum.get_absolute_url()}new/", 200),
        "post history": ("cm", f"/forums/p/{post.pk}/history/", 200),
        "profile": (None, "/members/maya/", 200),
        "profile form": ("member", "/accounts/profile/", 200),
        "members": (None, "/members/", 200),
        "search": (None, "/search/?q=maya", 200),
        "notifications": ("member", "/notifications/", 200),
        "notification preferences": ("member", "/notifications/preferences/", 200),
        "the bell (htmx fragment)": ("member", "/notifications/bell/", 200),
        "moderation queue": ("cm", "/moderation/", 200),
        "watched words": ("cm", "/moderation/words/", 200),
        "CM workspace": ("cm", "/cm/", 200),
        "contributors": (None, "/contributors/", 200),
        "wiki": (None, "/wiki/", 200),
        "login": (None, "/accounts/login/", 200),
        "signup": (None, "/accounts/signup/", 200),
        "password reset": (None, "/accounts/password/reset/", 200),
        "email addresses": ("member", "/accounts/email/", 200),
        "403 from a rule": ("member", "/moderation/", 403),
        "403 page": ("member", "/test/refused/", 403),
        "404 page": (None, "/nowhere/", 404),
        "400 page": (None, "/test/suspicious/", 400),
        "500 page": (None, "/test/broken/", 500),
        "login redirect": (None, "/cm/", 302),
        "405": (None, "/forums/", 405),  # PUT, below
        "admin login": (None, "/admin/login/", 200),
        "admin index": ("staff", "/admin/", 200),
        "admin list": ("staff", "/admin/community/user/", 200),
        "admin form": ("staff", f"/admin/forums/post/{post.pk}/change/", 200),
        "static file": (None, "/static/css/tribune.css", 200),
    }


@pytest.mark.urls(__name__)
def test_every_kind_of_page_carries_the_strict_policy(world, request):
    checked = []
    for label, (who, url, status) in pages(world).items():
        client = Client(raise_request_exception=False)
        if who:
            client.force_login(request.getfixturevalue(who))
        response = client.put(url) if status == 405 else client.get(url)
        assert response.status_code == status, (label, response.status_code)
        expected = STRICT
        if label.startswith("admin"):
            # The Django admin alone allows inline styles (django-mptt's tree); scripts stay strict.
            expected = {**STRICT, "style-src": "'self' 'unsafe-inline'"}
        assert policy(response) == expected, label
        checked.append(label)
    assert len(checked) == len(pages(world))


def test_no_directive_allows_inline_code_or_eval(client, db):
    header = client.get("/")["Content-Security-Policy"]
    for loophole in ("unsafe-inline", "unsafe-eval", "unsafe-hashes", "nonce-", "*"):
        assert loophole not in header


def test_a_page_from_the_anonymous_page_cache_carries_it_too(client, world):
    url = world["topic"].get_absolute_url()
    first = client.get(url)
    second = client.get(url)  # served from the page cache: the view does not run

    assert policy(first) == policy(second) == STRICT


def test_a_path_can_be_given_its_own_policy_and_only_that_path(client, db, settings):
    settings.CONTENT_SECURITY_POLICY_BY_PATH = {"/forums/": {"style-src": [SELF, UNSAFE_INLINE]}}

    assert policy(client.get("/forums/"))["style-src"] == "'self' 'unsafe-inline'"
    assert policy(client.get("/forums/"))["script-src"] == "'self'"
    assert policy(client.get("/"))["style-src"] == "'self'"


# --- what the templates give the policy to forbid: nothing -------------------------------------------

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "inline style block": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event-handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "htmx inline code": re.compile(r"\shx-on[:-]|\shx-vals\s*=\s*['\"]js:|hx-trigger=\"[^\"]*\[", re.I),
}


def test_no_template_of_a_page_holds_inline_code_or_style():
    """Emails are exempt: they are read in mail clients, which want inline styles, not under the policy."""
    found = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        if "email" in template.relative_to(TEMPLATES).parts:
            continue
        source = template.read_text()
        found += [f"{template.relative_to(TEMPLATES)}: {what}" for what, pattern in INLINE.items()
                  if pattern.search(source)]
    assert found == []


def test_htmx_is_told_to_keep_its_indicator_style_and_eval_to_itself(client, db):
    html = client.get("/").content.decode()

    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html).group(1)
    assert '"includeIndicatorStyles": false' in config
    assert '"allowEval": false' in config
    css = (Path(settings.BASE_DIR) / "static" / "css" / "tribune.css").read_text()
    assert ".htmx-indicator { opacity: 0; }" in css


def test_a_form_refused_for_its_csrf_token_answers_in_the_layout_under_the_policy(db, member):
    """Found by an outside probe: Django's own CSRF page styles itself inline, which the policy blocks."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post("/accounts/profile/", {"display_name": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "This form could not be sent" in page and "<style" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]
