"""Preview a watched word: what it would have caught in the last 30 days of every content kind
that declares a creation field, without saving anything (the "Test" button of the word form)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from community import content
from community.models import Visibility

from .lookalikes import occurs, scripts
from .matching import normalize_phrase, pattern_for, prepare

PREVIEW_WINDOW = timedelta(days=30)
PREVIEW_SCAN_LIMIT = 20000  # rows per content kind scanned
PREVIEW_SHOW = 50


@dataclass
class RuleMatch:
    kind: content.ContentKind
    obj: object
    excerpt: str

    @property
    def author(self):
        return self.kind.author(self.obj)

    @property
    def url(self):
        return self.kind.url(self.obj)

    @property
    def created(self):
        return getattr(self.obj, self.kind.created_field)


@dataclass
class RulePreview:
    matches: list[RuleMatch]
    total: int
    scanned: int
    truncated: bool


def _excerpt(text: str, found: re.Match, width: int = 80) -> str:
    start, end = max(0, found.start() - width), min(len(text), found.end() + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def preview_rule(phrase: str, *, now=None) -> RulePreview:
    """What `phrase` would have caught in the last 30 days of every content kind (newest first)."""
    regex = re.compile(pattern_for(phrase), re.IGNORECASE)
    phrase_scripts = scripts(normalize_phrase(phrase))
    since = (now or timezone.now()) - PREVIEW_WINDOW
    matches, total, scanned, truncated = [], 0, 0, False
    for kind in content.kinds():
        if not kind.created_field:
            continue
        rows = (kind.model.objects.filter(**{f"{kind.created_field}__gte": since})
                .exclude(status=Visibility.REMOVED).order_by(f"-{kind.created_field}", "-pk"))
        count = 0
        for obj in rows.select_related(*kind.list_related)[:PREVIEW_SCAN_LIMIT].iterator(chunk_size=2000):
            count += 1
            text = prepare(kind.full_text(obj))
            found = occurs(regex, phrase_scripts, text) if regex.search(text) else []
            if found:
                total += 1
                if len(matches) < PREVIEW_SHOW:
                    matches.append(RuleMatch(kind=kind, obj=obj, excerpt=_excerpt(text, found[0])))
        scanned += count
        truncated = truncated or count >= PREVIEW_SCAN_LIMIT
    return RulePreview(matches=matches[:PREVIEW_SHOW], total=total, scanned=scanned, truncated=truncated)
