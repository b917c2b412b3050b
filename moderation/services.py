"""Writes of the moderation app. Today: the spam pipeline's decisions and the classifier's lessons."""

from __future__ import annotations

import logging
from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from community import content
from community.models import SpamStatus, Visibility

from . import spam, trust, watched
from .models import KnownDomain, SpamCheck, Verdict
from .spam import bayes

log = logging.getLogger(__name__)


def sample_for(kind: content.ContentKind, obj, *, at=None, content_type_id=None) -> spam.Sample:
    return spam.Sample(
        text=kind.full_text(obj), kind=kind.name, author=kind.author(obj), at=at or timezone.now(),
        content_type_id=content_type_id or ContentType.objects.get_for_model(kind.model).pk, object_id=obj.pk,
        body=kind.text(obj),
    )


def check_content(*, kind_name: str, object_id: int, at=None, event_id: int | None = None,
                  content_type_id: int | None = None, release_held: bool = False, obj=None) -> SpamCheck | None:
    """Decide once whether one piece of content is spam; returns the new SpamCheck, or None when
    the row is gone or already decided (a redelivery, a concurrent check).

    Trusted (no actor: the pipeline). The decision is a conditional UPDATE from `pending`, so a
    check delivered twice, even concurrently, writes one verdict and one SpamCheck row; spam that
    is still published is set to PENDING ("awaiting review") through the content protocol, which
    keeps the owner's counters exact. If a checker raises, nothing is written and the exception
    propagates: the outbox event stays pending and is delivered again.

    With release_held (new content), clean content that a publish check held only until this
    check (a new member's post) is published; content held by a watched word waits for a CM.
    """
    kind = content.get_kind(kind_name)
    if obj is None or obj.pk != object_id:  # the caller may hand over the row it just loaded
        obj = kind.fetch([object_id]).get(object_id)
    if obj is None or kind.spam_status(obj) != SpamStatus.PENDING:
        return None
    # The event's own content type id, when there is one: a long-lived worker's ContentType cache
    # must not be trusted over the row that the writer recorded.
    sample = sample_for(kind, obj, at=at, content_type_id=content_type_id)
    outcome = spam.evaluate(sample)
    with transaction.atomic():
        decided = kind.model.objects.filter(pk=obj.pk, spam_status=SpamStatus.PENDING).update(
            spam_status=outcome.verdict)
        if not decided:
            return None
        obj.spam_status = outcome.verdict
        check = SpamCheck.objects.create(
            content_type_id=sample.content_type_id, object_id=obj.pk, kind=kind.name,
            author_id=getattr(sample.author, "pk", None), event_id=event_id, score=outcome.score,
            reasons=list(outcome.reasons), details=outcome.details, evidence=outcome.evidence,
            verdict=outcome.verdict,
            fingerprint=sample.fingerprint,
        )
        # Conditional transitions under the row lock: a moderator's hide or removal made while the
        # checkers ran is never undone.
        if outcome.is_spam:
            kind.set_status(obj, Visibility.PENDING, only_from=Visibility.PUBLISHED)
        elif (release_held and kind.status(obj) == Visibility.PENDING  # (re-checked under the lock)
              and not watched.held_by_word(kind.name, obj.pk)
              and not kind.is_held_by_place(obj)  # a comment awaiting its space owner, say
              and not SpamCheck.objects.filter(content_type_id=sample.content_type_id, object_id=obj.pk,
                                               verdict=Verdict.SPAM).exclude(pk=check.pk).exists()):
            kind.set_status(obj, Visibility.PUBLISHED, only_from=Visibility.PENDING)
        if not outcome.is_spam and sample.author is not None:
            if not sample.is_new_member:
                remember_domains(sample.own_links)
            trust.promote_if_ready(sample.author)
    log.info("spam check %s #%s: %s (%.1f) %s", kind.name, obj.pk, outcome.verdict, outcome.score,
             ",".join(outcome.reasons))
    return check


def learn_from_decision(*, text: str, is_spam: bool) -> None:
    """Trusted: teach the classifier a CM's "spam" / "not spam" decision (incremental); the links of
    content a CM found clean become known domains."""
    bayes.NaiveBayes().learn(text, bayes.SPAM if is_spam else bayes.HAM)
    if not is_spam:
        remember_domains(text)


def remember_domains(text_or_links) -> None:
    """Trusted: count one more clean post linking to each domain of a text's own words (or of a list
    of (url, domain) pairs): these domains are known to the community from now on."""
    links = text_or_links
    if isinstance(text_or_links, str):
        links = spam.textlib.find_links(spam.textlib.split_quoted(text_or_links)[0], bare=True)
    domains = _clean_domains(links)
    if not domains:
        return
    KnownDomain.objects.filter(domain__in=domains).update(seen=F("seen") + 1)
    KnownDomain.objects.bulk_create([KnownDomain(domain=domain, seen=1) for domain in sorted(domains)],
                                    ignore_conflicts=True)


def learn_corpus(examples) -> int:
    """Trusted: teach the classifier labelled (text, label) pairs at once (spam_train, the demo); the
    links of the clean ones become known domains. Returns how many texts were learned."""
    examples = list(examples)
    seen = Counter()
    for text, label in examples:
        if label == bayes.HAM:
            seen.update(_clean_domains(spam.textlib.find_links(spam.textlib.split_quoted(text)[0], bare=True)))
    with transaction.atomic():
        learned = bayes.NaiveBayes().learn_many(examples)
        known = {row.domain: row for row in KnownDomain.objects.filter(domain__in=list(seen))}
        for domain, row in known.items():
            row.seen += seen[domain]
        KnownDomain.objects.bulk_update(known.values(), ["seen"], batch_size=500)
        KnownDomain.objects.bulk_create([KnownDomain(domain=domain, seen=count) for domain, count in seen.items()
                                         if domain not in known], batch_size=500, ignore_conflicts=True)
    return learned


def _clean_domains(links) -> set[str]:
    return {domain for url, domain in links
            if not spam.textlib.is_shortener(domain) and not url.lower().startswith("mailto:")}
