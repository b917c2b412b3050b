"""Known domains in the database: the sites this community's clean posts linked to. A new member's
link to one of them is no sign; the list grows as established members' posts are found clean."""

import pytest

from moderation import services
from moderation.models import KnownDomain, SpamCheck
from moderation.spam.env import DatabaseEnv

from .test_services import reply

pytestmark = pytest.mark.django_db


def test_unseen_are_the_domains_no_clean_post_linked_to():
    KnownDomain.objects.create(domain="example.org", seen=3)

    unseen = DatabaseEnv().unseen({"example.org", "shop.example.org", "notexample.org",
                                   "example.org.evil.top", "velo-tours.fr"})

    # A known domain covers its subdomains, not a look-alike name nor a domain that merely starts with it.
    assert unseen == {"notexample.org", "example.org.evil.top", "velo-tours.fr"}


def test_a_known_subdomain_does_not_cover_its_parent():
    KnownDomain.objects.create(domain="blog.example.org", seen=1)

    assert DatabaseEnv().unseen({"blog.example.org", "example.org", "a.blog.example.org"}) == {"example.org"}


def test_sites_every_community_links_to_are_never_unseen(settings):
    settings.SPAM_KNOWN_DOMAINS = ["wikipedia.org"]

    assert DatabaseEnv().unseen({"fr.wikipedia.org", "wikipedia.org"}) == set()
    assert not KnownDomain.objects.exists()


def test_remember_domains_creates_rows_then_counts_up():
    services.remember_domains("Route on https://velo-tours.fr/sortie and www.velo-club.fr")
    services.remember_domains("Again velo-tours.fr/autre")

    assert dict(KnownDomain.objects.values_list("domain", "seen")) == {"velo-tours.fr": 2, "velo-club.fr": 1}


def test_remember_domains_counts_a_domain_once_per_post():
    services.remember_domains("https://velo-tours.fr/a https://velo-tours.fr/b velo-tours.fr/c")

    assert KnownDomain.objects.get(domain="velo-tours.fr").seen == 1


def test_remember_domains_ignores_shorteners_mail_links_and_quoted_links():
    services.remember_domains("bit.ly/abc tinyurl.com/xyz [me](mailto:me@mail.example.net) <you@other.example.org>\n"
                              "> the scam said quick-cash.top/win")

    assert not KnownDomain.objects.exists()


def test_remember_domains_takes_a_list_of_links_too():
    services.remember_domains([("https://velo-tours.fr/x", "velo-tours.fr"), ("bit.ly/a", "bit.ly"),
                               ("mailto:a@mail.example.net", "mail.example.net")])

    assert list(KnownDomain.objects.values_list("domain", flat=True)) == ["velo-tours.fr"]


def test_a_clean_post_by_an_established_member_makes_its_domains_known(topic, regular, newcomer,
                                                                       django_capture_on_commit_callbacks):
    reply(regular, topic, "The tubeless guide I follow: https://velo-tours.fr/tubeless, and my shop "
          "atelier-martin.fr.", django_capture_on_commit_callbacks)

    assert dict(KnownDomain.objects.values_list("domain", "seen")) == {"velo-tours.fr": 1, "atelier-martin.fr": 1}

    # A newcomer linking there afterwards links to a site the community knows.
    post = reply(newcomer, topic, "Thanks, the guide on velo-tours.fr/tubeless worked for me too.",
                 django_capture_on_commit_callbacks)
    check = SpamCheck.objects.get(object_id=post.pk, kind="forums.post")
    assert check.verdict == "ham"
    assert "domain:unseen" not in check.reasons


def test_a_newcomers_link_to_an_unseen_domain_is_a_doubt_until_the_classifier_has_learned(
        topic, newcomer, django_capture_on_commit_callbacks):
    # A new community: the classifier knows nothing, an unknown site alone does not hold the post.
    post = reply(newcomer, topic, "My route for Sunday is on https://velo-tours.fr/sortie",
                 django_capture_on_commit_callbacks)
    check = SpamCheck.objects.get(object_id=post.pk, kind="forums.post")
    assert check.verdict == "ham" and check.reasons == ["domain:unseen"]
    assert check.evidence == {"domain:unseen": ["velo-tours.fr"]}
    assert not KnownDomain.objects.exists()  # a newcomer's clean post vouches for nothing

    # Once CMs have taught it, the same sign weighs its fitted points and holds such a post.
    from moderation import services

    for number in range(3):
        services.learn_from_decision(text=f"casino bonus free spins {number}", is_spam=True)
        services.learn_from_decision(text=f"my chain squeaks after rain {number}", is_spam=False)
    post = reply(newcomer, topic, "My route for Saturday is on https://velo-tours.fr/autre",
                 django_capture_on_commit_callbacks)
    check = SpamCheck.objects.get(object_id=post.pk, kind="forums.post")
    assert check.verdict == "spam" and "domain:unseen" in check.reasons


def test_a_newcomers_clean_post_does_not_count_its_domains(topic, newcomer, django_capture_on_commit_callbacks):
    KnownDomain.objects.create(domain="velo-tours.fr", seen=1)

    post = reply(newcomer, topic, "My route for Sunday is on https://velo-tours.fr/sortie",
                 django_capture_on_commit_callbacks)

    assert SpamCheck.objects.get(object_id=post.pk, kind="forums.post").verdict == "ham"
    assert KnownDomain.objects.get(domain="velo-tours.fr").seen == 1


def test_a_post_held_as_spam_makes_nothing_known(topic, regular, settings, django_capture_on_commit_callbacks):
    settings.SPAM_BLOCKED_DOMAINS = ["cheap-pills.example"]

    post = reply(regular, topic, "Deals: https://cheap-pills.example/x and https://velo-tours.fr/y",
                 django_capture_on_commit_callbacks)

    assert SpamCheck.objects.get(object_id=post.pk, kind="forums.post").verdict == "spam"
    assert not KnownDomain.objects.exists()
