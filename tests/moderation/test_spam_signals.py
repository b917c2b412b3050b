"""The checkers on what a spammer cannot drop (unseen domains, disguise, calls to action) and the
classifier's reading of quotes, run as production runs them (spam.evaluate, every checker) on a
community held in memory (MemoryEnv): what a CM sees is the verdict, the reasons and the words that
showed each reason."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from moderation import spam
from moderation.spam import bayes
from moderation.spam.cue_checkers import POINTS
from moderation.spam.env import MemoryEnv

SCAM = ("Earn 500 € per day from home! Contact me at +44 7700 900123 and click here: "
        "quick-cash.top/win")


@pytest.fixture(autouse=True)
def _no_akismet(settings):
    settings.AKISMET_API_KEY = ""


@pytest.fixture
def env():
    """A community whose clean posts linked to velo-club.fr; an untrained classifier (it abstains)."""
    return MemoryEnv(bayes.NaiveBayes(bayes.MemoryStore()), known={"velo-club.fr"})


def established():
    return SimpleNamespace(pk=None, trust_level=1, date_joined=timezone.now() - timedelta(days=400))


def newcomer():
    return SimpleNamespace(pk=None, trust_level=0, date_joined=timezone.now() - timedelta(hours=2))


def judge(text, env, author=None):
    return spam.evaluate(spam.Sample(text=text, kind="forums.post", author=author or newcomer(), env=env))


def test_a_new_members_link_to_an_unseen_domain_is_a_sign_with_the_domain_shown(env):
    outcome = judge("Our ride on Sunday: the route is on velo-tours.fr/sortie, see you there.", env)

    assert "domain:unseen" in outcome.reasons
    assert outcome.evidence["domain:unseen"] == ["velo-tours.fr"]


def test_a_link_to_a_domain_the_community_knows_is_no_sign(env):
    outcome = judge("Our ride on Sunday: the route is on https://www.velo-club.fr/sortie, see you there.", env)

    assert "domain:unseen" not in outcome.reasons
    assert outcome.verdict == "ham"


def test_subdomains_of_a_known_domain_and_sites_every_community_links_to_are_known(env):
    outcome = judge("See https://forum.velo-club.fr/t/1 and https://fr.wikipedia.org/wiki/Vélo", env)

    assert "domain:unseen" not in outcome.reasons


def test_shorteners_and_mail_links_are_not_unseen_domains(env):
    outcome = judge("Photos: bit.ly/ride-photos, questions to [me](mailto:marc@unknown-mail.example.net)", env)

    assert "domain:unseen" not in outcome.reasons
    assert "url:shortener" in outcome.reasons  # the shortener has its own sign


def test_an_established_member_gets_no_unseen_domain_nor_call_to_action_points(env):
    text = "Selling my old frame, 150 €, contact me: details on velo-tours.fr/annonce"

    new = judge(text, env)
    old = judge(text, env, author=established())

    assert "domain:unseen" in new.reasons and "cta:contact" in new.reasons
    assert not {"domain:unseen", "cta:contact", "cta:money"} & set(old.reasons)
    assert old.verdict == "ham" and old.score == 0


def test_the_scam_as_the_authors_own_words_is_held_with_its_reasons_and_their_words(env):
    outcome = judge(SCAM, env)

    assert outcome.verdict == "spam"
    assert set(outcome.reasons) >= {"domain:unseen", "cta:money", "cta:contact", "cta:imperative"}
    assert outcome.evidence["domain:unseen"] == ["quick-cash.top"]
    assert outcome.evidence["cta:money"] == ["500 €", "per day"]
    assert outcome.evidence["cta:contact"] == ["contact me", "+44 7700 900123"]
    assert outcome.evidence["cta:imperative"] == ["click here"]


def test_a_member_quoting_the_scam_to_warn_the_others_is_not_held(env):
    warning = ("> " + SCAM + "\n\nWatch out everyone: this is a scam going around in private messages. "
               "Do not answer it, report it to the moderators.")

    outcome = judge(warning, env)

    assert outcome.verdict == "ham"
    assert not {"domain:unseen", "cta:money", "cta:contact", "cta:imperative"} & set(outcome.reasons)
    assert "text:about-spam" in outcome.reasons


def test_the_scam_between_quotation_marks_is_reported_speech_too(env):
    outcome = judge(f"I got this in a private message: “{SCAM}”. Looks like a scam, right?", env)

    assert outcome.verdict == "ham"
    assert "cta:contact" not in outcome.reasons


def test_disguised_words_are_a_sign_with_the_words_as_read(env):
    outcome = judge("Best саsinо in town, m0ney for all", env)

    assert "text:disguised" in outcome.reasons
    assert outcome.evidence["text:disguised"] == ["casino", "money"]
    assert outcome.details["obfuscation"] == pytest.approx(2 * POINTS["text:disguised"])  # per word


def test_disguise_weighs_half_for_an_established_member(env):
    new = judge("Best саsinо in town, m0ney for all", env)
    old = judge("Best саsinо in town, m0ney for all", env, author=established())

    assert old.details["obfuscation"] == pytest.approx(new.details["obfuscation"] / 2)


def test_a_member_reporting_a_scammers_handle_earns_points_back(env):
    handle = "the number +44 7700 900123 writes to everyone here."
    report = judge(f"Beware, this is a scam: {handle} I reported it.", env)
    bare = judge(f"Hello, {handle}", env)

    assert "cta:contact" in report.reasons and "text:about-spam" in report.reasons
    assert report.details["call-to-action"] < bare.details["call-to-action"]
    assert report.verdict == "ham"


@pytest.fixture
def trained_env():
    """A classifier that has learned casino spam and bike talk (a dozen of each: full confidence)."""
    classifier = bayes.NaiveBayes(bayes.MemoryStore())
    for index in range(12):
        classifier.learn(f"Best casino bonus {index}, free spins jackpot, play slots now, big jackpot win", bayes.SPAM)
        classifier.learn(f"My gravel bike {index}: tubeless tyres, chain wax and brake pads after the rain",
                         bayes.HAM)
    return MemoryEnv(classifier)


CASINO = "> Best casino bonus, free spins jackpot, play slots now, big jackpot win"


def test_a_post_that_is_little_more_than_a_quote_is_judged_on_the_quote(trained_env):
    outcome = judge(CASINO + "\n\nso true", trained_env)

    assert "bayes:spam" in outcome.reasons
    # The words shown are the quote's (words and word pairs: "free_spins").
    quoted = set(CASINO.lower().replace(",", "").split())
    shown = outcome.evidence["bayes:spam"]
    assert shown and all(set(token.split("_")) <= quoted for token in shown), shown


def test_a_quote_with_the_members_own_say_is_judged_on_their_words(trained_env):
    outcome = judge(CASINO + "\n\nThis keeps showing up under my gravel bike posts, about tubeless tyres "
                    "and brake pads. Please remove it.", trained_env)

    assert not {"bayes:spam", "bayes:leaning-spam"} & set(outcome.reasons)
    assert outcome.verdict == "ham"


def test_every_reason_with_evidence_keeps_at_most_five_words(env):
    text = ("Earn 500 € per day, $100 an hour! Write to me, contact me, call me on WhatsApp or Telegram. "
            "Visit a-cash.top, b-cash.top, c-cash.top, d-cash.top, e-cash.top and f-cash.top")

    outcome = judge(text, env)

    assert outcome.evidence["domain:unseen"] == ["a-cash.top", "b-cash.top", "c-cash.top", "d-cash.top",
                                                 "e-cash.top"]
    assert all(0 < len(words) <= 5 for words in outcome.evidence.values())
    assert set(outcome.evidence) <= set(outcome.reasons)
