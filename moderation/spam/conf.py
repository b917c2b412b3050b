"""The spam pipeline's settings, with their defaults (override any of them in settings, e.g.
SPAM_THRESHOLD = 6 or SPAM_BLOCKED_DOMAINS = ["pills.example"])."""

from django.conf import settings

DEFAULTS = {
    "SPAM_THRESHOLD": 5.0,
    # The spam checks hold to the new-member rules anyone at trust level 0 (moderation/trust.py) and
    # any account younger than this.
    "SPAM_NEW_MEMBER_DAYS": 3,
    # More links than this in one text from a new member adds points (twice as many, more points).
    "SPAM_NEW_MEMBER_MAX_LINKS": 2,
    "SPAM_BLOCKED_DOMAINS": [],
    # Sites every community links to: never "unseen" (subdomains included). The community's own
    # clean posts add theirs to the KnownDomain table as they are published.
    "SPAM_KNOWN_DOMAINS": [
        "wikipedia.org", "wikimedia.org", "wiktionary.org", "github.com", "gitlab.com", "stackoverflow.com",
        "stackexchange.com", "python.org", "djangoproject.com", "mozilla.org", "youtube.com", "youtu.be",
        "vimeo.com", "openstreetmap.org", "archive.org", "gouv.fr", "service-public.fr", "europa.eu",
        "gov.uk", "bbc.co.uk", "lemonde.fr", "imgur.com", "flickr.com", "google.com", "apple.com",
        "microsoft.com", "debian.org", "ubuntu.com", "archlinux.org", "reddit.com",
    ],
    "SPAM_REPEAT_WINDOW_HOURS": 24,
    "SPAM_BURST_WINDOW_SECONDS": 60,
    "SPAM_BURST_POSTS_NEW_MEMBER": 4,
    "SPAM_BURST_POSTS": 8,
    "SPAM_BAYES_FULL_CONFIDENCE_DOCS": 10,
    # Akismet is used only with a key; the site's address is SITE_URL.
    "AKISMET_API_KEY": "",
    "AKISMET_TIMEOUT": 4,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])
