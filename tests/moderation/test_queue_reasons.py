"""The spam verdict, explained to the CM who reviews it: each reason in words, with the words or domains
that showed it (the member's text: escaped, never a link), and the points it added."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from community.models import SpamStatus, Visibility
from moderation.models import SpamCheck
from moderation.spam import reasons
from moderation.spam.cue_checkers import POINTS
from tests.factories import UserFactory

from .test_services import reply

QUEUE = reverse("moderation:queue")
WHATSAPP = "Cheap followers, write to me on WhatsApp +44 7700 900123 https://followers-fast.top/x"
SPAM_DIR = Path(reasons.__file__).parent


@pytest.fixture
def fresh(db):
    return UserFactory(username="fresh", trust_level=0)


def reasons_list(page):
    """The list of explained reasons of the (only) item on the page."""
    found = re.search(r'<ul class="spam-reasons">(.*?)</ul>', page, re.S)
    assert found, "no explained reasons on the page"
    return found.group(1)


def test_a_cm_sees_why_a_new_members_reply_was_held(topic, fresh, cm, client, django_capture_on_commit_callbacks):
    post = reply(fresh, topic, WHATSAPP, django_capture_on_commit_callbacks)
    assert (post.status, post.spam_status) == (Visibility.PENDING, SpamStatus.SPAM)

    client.force_login(cm)
    page = client.get(QUEUE).content.decode()

    assert "Spam verdict: Spam (score" in page
    listed = reasons_list(page)
    assert "Links to sites never linked here before" in listed and "followers-fast.top" in listed
    assert "Asks to get in touch outside the community" in listed and "whatsapp" in listed
    assert f"(+{POINTS['domain:unseen-untrained']:.1f})" in listed  # what the unseen domain weighed (no classifier trained here)
    assert "domain:unseen" not in listed and "cta:contact" not in listed  # no raw codes
    assert "<a" not in listed  # the domain is text to read, not a link to follow


def test_evidence_with_html_in_it_is_escaped(topic, fresh, cm, client, django_capture_on_commit_callbacks):
    post = reply(fresh, topic, WHATSAPP, django_capture_on_commit_callbacks)
    SpamCheck.objects.filter(object_id=post.pk, kind="forums.post").update(
        evidence={"domain:unseen": ['<script>alert("x")</script>', '<a href="https://evil.top">evil.top</a>']})

    client.force_login(cm)
    listed = reasons_list(client.get(QUEUE).content.decode())

    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in listed
    assert "<script" not in listed and "<a" not in listed


def test_a_reason_code_without_a_label_shows_as_itself(topic, fresh, cm, client, django_capture_on_commit_callbacks):
    post = reply(fresh, topic, WHATSAPP, django_capture_on_commit_callbacks)
    SpamCheck.objects.filter(object_id=post.pk, kind="forums.post").update(
        reasons=["custom:honeypot", "url:shortener"], evidence={"custom:honeypot": ["hidden-field"]},
        details={"honeypot": 9.0, "shorteners": 4.5})

    client.force_login(cm)
    listed = reasons_list(client.get(QUEUE).content.decode())

    assert "custom:honeypot" in listed and "hidden-field" in listed
    assert "Shortened links hide where they go <span class=\"muted\">(+4.5)</span>" in listed


class Check:
    def __init__(self, reasons, details, evidence=None):
        self.reasons, self.details, self.evidence = reasons, details, evidence or {}


def test_the_points_of_each_cue_are_told_apart_and_talk_of_spam_counts_for_the_author():
    explained = reasons.explain(Check(
        ["cta:contact", "cta:money", "text:about-spam", "bayes:leaning-spam"],
        {"call-to-action": round(POINTS["cta:contact"] + POINTS["cta:money"] + POINTS["text:about-spam-contact"], 2),
         "bayes": 0.8},
        {"bayes:leaning-spam": ["cheap", "cue:contact"]}))

    points = {str(reason.label): reason.points for reason in explained}
    assert points == {
        "Asks to get in touch outside the community": POINTS["cta:contact"],
        "Talks money: sums, earnings, cheap offers": POINTS["cta:money"],
        "Talks about spam (a report or a warning): counts for the author": POINTS["text:about-spam-contact"],
        "Reads a little like the spam CMs have marked": 0.8,
    }
    assert explained[-1].evidence == ["cheap", "a contact outside the community"]


def test_points_that_do_not_add_up_are_not_guessed():
    # Recorded under other weights: the checker's total is known, its share per cue is not.
    explained = reasons.explain(Check(["cta:contact", "cta:money"], {"call-to-action": 3.0}))
    assert [reason.points for reason in explained] == [None, None]


def emitted_codes():
    """Every reason code the pipeline's checkers can give, read from their source."""
    codes = set()
    for path in SPAM_DIR.glob("*.py"):
        source = path.read_text()
        codes.update(re.findall(r'\("([a-z]+:[a-z-]+)",\)', source))  # Contribution(points, ("code",))
        codes.update(re.findall(r'reasons\.append\("([a-z]+:[a-z-]+)"\)', source))
        if 'f"cta:{name}"' in source:
            codes.update(code for code in POINTS if code.startswith("cta:"))
    return codes


def test_every_code_the_checkers_give_has_a_label():
    codes = emitted_codes()
    assert {"url:shortener", "domain:unseen", "cta:contact", "text:about-spam", "akismet:spam"} <= codes
    assert codes - set(reasons.LABELS) == set()


def test_every_label_has_a_french_translation():
    from django.utils import translation

    labels = [*reasons.LABELS.values(), *reasons.TERMS.values(), *reasons.TRICKS.values()]
    with translation.override("en"):
        english = [str(label) for label in labels]
    with translation.override("fr"):
        french = [str(label) for label in labels]
    untranslated = [word for word, same in zip(english, french, strict=True) if word == same]
    assert untranslated == []


def test_the_spam_check_admin_explains_the_reasons(topic, fresh, staff, client, django_capture_on_commit_callbacks):
    post = reply(fresh, topic, WHATSAPP, django_capture_on_commit_callbacks)
    check = SpamCheck.objects.get(object_id=post.pk, kind="forums.post")
    SpamCheck.objects.filter(pk=check.pk).update(evidence={**check.evidence, "cta:contact": ["<b>whatsapp</b>"]})

    client.force_login(staff)
    page = client.get(reverse("admin:moderation_spamcheck_change", args=[check.pk])).content.decode()

    assert "Links to sites never linked here before" in page and "followers-fast.top" in page
    assert "&lt;b&gt;whatsapp&lt;/b&gt;" in page and "<b>whatsapp</b>" not in page
