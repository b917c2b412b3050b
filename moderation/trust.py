"""New members start restricted (Discourse's trust level 0) until age and good activity lift it.

A new member (`User.trust_level == 0`, not a CM, contributor or staff):
- may put at most NEW_MEMBER_MAX_LINKS links in a post;
- may post at most NEW_MEMBER_POSTS_PER_MINUTE times a minute;
- has their new posts checked before they show: they start PENDING ("awaiting review") and the
  spam check publishes them when it finds them clean (moderation.services.check_content).
A limit exceeded raises community.content.LimitExceeded: the views answer 429 with the message and
the form as it was typed.

The restrictions lift on their own (`promote_if_ready`) once the account is NEW_MEMBER_HOURS old and
NEW_MEMBER_GOOD_POSTS of its posts were checked clean with none found spam; a CM or staff member
can also set the trust level in the admin. The level is denormalized on the user (no query for
established members, which keeps the write path of everyone else unchanged).
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import ngettext

from community import content, events, markup
from community.models import User, Visibility
from community.permissions import is_exempt_from_new_member_limits

from .models import SpamCheck, Verdict

NEW, BASIC = 0, 1

# Links as the page shows them: rendered <a> to other sites or to an e-mail address ([me](mailto:…),
# <me@example.com>) and <img> from other sites (bare URLs and addresses stay plain text).
_RENDERED_LINK = re.compile(r"""<(?:a\s[^>]*href=["'](?:https?://|mailto:)|img\s[^>]*src=["']https?://)""",
                            re.IGNORECASE)


def _setting(name, default):
    return getattr(settings, name, default)  # community/settings.py reads them from the environment


def max_links():
    return _setting("NEW_MEMBER_MAX_LINKS", 2)


def posts_per_minute():
    return _setting("NEW_MEMBER_POSTS_PER_MINUTE", 3)


def min_age():
    return timedelta(hours=_setting("NEW_MEMBER_HOURS", 24))


def good_posts_needed():
    return _setting("NEW_MEMBER_GOOD_POSTS", 3)


def count_links(text: str) -> int:
    """Links a reader would see: Markdown links, autolinks (<https://…>, <me@example.com>), mailto:
    links and images from other sites (a tracking pixel is a link too), as rendered."""
    text = text or ""
    if "](" not in text and "]:" not in text and "<" not in text:  # no link syntax: nothing to render
        return 0
    return len(_RENDERED_LINK.findall(markup.render(text).html))


def is_restricted(user, *, now=None) -> bool:
    """Is `user` a new member under the limits now? Promotes them first when they qualify."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "trust_level", BASIC) >= BASIC or is_exempt_from_new_member_limits(user):
        return False
    return not promote_if_ready(user, now=now)


def promote_if_ready(user, *, now=None) -> bool:
    """Lift the new-member limits when the account is old enough and has enough clean posts."""
    if getattr(user, "trust_level", BASIC) >= BASIC:
        return True
    now = now or timezone.now()
    if user.date_joined > now - min_age():
        return False
    verdicts = dict(SpamCheck.objects.filter(author_id=user.pk).values_list("verdict")
                    .annotate(n=Count("pk")).values_list("verdict", "n"))
    if verdicts.get(Verdict.SPAM, 0) or verdicts.get(Verdict.HAM, 0) < good_posts_needed():
        return False
    User.objects.filter(pk=user.pk, trust_level=NEW).update(trust_level=BASIC)
    user.trust_level = BASIC
    return True


def recent_posts(user, *, now=None) -> int:
    from community.models import Event

    now = now or timezone.now()
    return Event.objects.filter(actor_id=user.pk, kind=events.CONTENT_CREATED,
                                created_at__gte=now - timedelta(minutes=1)).count()


def _attempts_this_minute(author) -> int:
    """Posting attempts of `author` in the current minute, counted atomically in the cache (0 when
    the cache is unreachable: the database count still applies)."""
    key = f"trust:attempts:{author.pk}:{int(time.time() // 60)}"
    try:
        cache.add(key, 0, 120)
        return int(cache.incr(key))
    except Exception:
        return 0


def publish_check(kind_name: str, *, author, parts, editing: bool = False):
    """Registered with community.content: new members' limits, and their new posts held for the check."""
    if kind_name == "community.profile" or not is_restricted(author):
        return None
    links, allowed = sum(count_links(part) for part in parts), max_links()
    if links > allowed:
        raise content.LimitExceeded(
            ngettext("New members can put at most %(allowed)d link in a post (this one has %(links)d). "
                     "Remove some links and send it again: your text is kept below.",
                     "New members can put at most %(allowed)d links in a post (this one has %(links)d). "
                     "Remove some links and send it again: your text is kept below.", allowed)
            % {"allowed": allowed, "links": links}, code="too_many_links")
    if editing:
        return None
    per_minute = posts_per_minute()
    # The database count sees what was posted; the cache counter (atomic) sees simultaneous
    # submits that have not committed yet. Either over the limit refuses.
    if recent_posts(author) >= per_minute or _attempts_this_minute(author) > per_minute:
        raise content.LimitExceeded(
            ngettext("You are posting fast: new members can post %(n)d time a minute. "
                     "Wait a minute and send it again — your text is kept below.",
                     "You are posting fast: new members can post %(n)d times a minute. "
                     "Wait a minute and send it again — your text is kept below.", per_minute)
            % {"n": per_minute}, code="too_fast")
    return Visibility.PENDING
