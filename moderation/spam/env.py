"""What the checkers ask of the community, in one place: `DatabaseEnv` reads the database (production),
`MemoryEnv` answers from what an evaluation trained on (spam_eval), so that spam_eval runs the very
checkers production runs, on the same questions, without a database."""

from __future__ import annotations

from datetime import datetime

from .bayes import DatabaseStore, NaiveBayes
from .conf import setting
from .text import domain_matches


class DatabaseEnv:
    """Production: blocked and known domains, the author's history and the learned classifier."""

    def __init__(self):
        self.classifier = NaiveBayes(DatabaseStore())

    def blocked(self, domains: set[str]) -> set[str]:
        from moderation.models import BlockedDomain

        listed = {domain.lower() for domain in setting("SPAM_BLOCKED_DOMAINS")}
        listed.update(BlockedDomain.objects.values_list("domain", flat=True))
        return {domain for domain in domains if domain_matches(domain, listed)}

    def unseen(self, domains: set[str]) -> set[str]:
        """The domains (subdomains counted with their parents) that no clean content here linked to."""
        from moderation.models import KnownDomain

        builtin = set(setting("SPAM_KNOWN_DOMAINS"))
        candidates = {domain for domain in domains if not domain_matches(domain, builtin)}
        if not candidates:
            return set()
        parents = {".".join(domain.split(".")[index:]) for domain in candidates
                   for index in range(len(domain.split(".")) - 1)}
        known = set(KnownDomain.objects.filter(domain__in=parents).values_list("domain", flat=True))
        return {domain for domain in candidates if not domain_matches(domain, known)}


    def copies(self, sample, since: datetime) -> int:
        from moderation.models import SpamCheck

        earlier = SpamCheck.objects.filter(author_id=sample.author.pk, fingerprint=sample.fingerprint,
                                           created_at__gte=since)
        if sample.object_id is not None:
            earlier = earlier.exclude(content_type_id=sample.content_type_id, object_id=sample.object_id)
        return len(earlier.values_list("object_id", flat=True).distinct()[:3])

    def recent_posts(self, author_id: int, since: datetime, until: datetime, cap: int) -> int:
        from community import events
        from community.models import Event

        recent = Event.objects.filter(actor_id=author_id, kind=events.CONTENT_CREATED,
                                      created_at__gt=since, created_at__lte=until)
        return len(recent.values_list("pk", flat=True)[:cap])


class MemoryEnv:
    """An evaluation's community: each test item is a new member's first post, the classifier and the
    known domains come from the training items only (a domain is known once clean training text
    linked to it), nothing is blocked beyond the settings, and nobody has posted before."""

    def __init__(self, classifier: NaiveBayes, known: set[str] = frozenset()):
        self.classifier = classifier
        self.known = set(known) | set(setting("SPAM_KNOWN_DOMAINS"))

    def blocked(self, domains: set[str]) -> set[str]:
        listed = {domain.lower() for domain in setting("SPAM_BLOCKED_DOMAINS")}
        return {domain for domain in domains if domain_matches(domain, listed)}

    def unseen(self, domains: set[str]) -> set[str]:
        return {domain for domain in domains if not domain_matches(domain, self.known)}


    def copies(self, sample, since: datetime) -> int:
        return 0

    def recent_posts(self, author_id: int, since: datetime, until: datetime, cap: int) -> int:
        return 0


_database_env: DatabaseEnv | None = None


def database() -> DatabaseEnv:
    global _database_env
    if _database_env is None:
        _database_env = DatabaseEnv()
    return _database_env
