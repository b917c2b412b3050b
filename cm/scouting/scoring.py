"""Talent scores: every registered provider's signals combined into one number per member and
period, written to `TalentScore` by the nightly job (`cm.compute_talent_scores`).

**The formula** (docs/workspace/scouting.md) — quality, not volume:

    scaled(s) = min(value, cap)                 (no cap: the value)
    scaled(s) = log2(1 + scaled(s))             for a `log` signal (volumes: posts, followers…)
    scaled(s) = scaled(s) × n / (n + 3)         for a ratio with a `basis` count n (likes per post)
    points(s) = weight × scaled(s)              (negative weights: content removed, sanctions)
    score     = Σ points(s) + consistency

Volumes are log-scaled and capped, so a hundred ignored posts earn about what six do; ratios carry
the weight (likes per post, replies per topic, comments per post), damped while the member has
few pieces; `consistency` is the share of the window's weeks with activity (0 to 100 %), at 0.08
point per percent; moderation signals subtract.

Efficient by construction: each provider answers with a few aggregate queries per window (never
one per member); the scores are written with one bulk upsert per period (batches of 500), then
the rows of members no longer active in the window are deleted.
"""

from __future__ import annotations

import math
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community import talent
from community.models import User

from ..models import Period, TalentRun, TalentScore

CONFIDENCE = 3  # a ratio over n pieces counts n / (n + 3) of its value
TOP_PIECES = 3
TOP_AREAS = 8
BATCH = 500
RUNNING_FOR = timedelta(minutes=30)  # a run not finished after this long is taken for dead

CONSISTENCY = talent.register_signal(talent.SignalKind(
    "talent.consistency", _("Consistency"), _("active %(value)s%% of the weeks"), weight=0.08, cap=100))


def points(kind: talent.SignalKind, value: float, signals: dict[str, float]) -> float:
    scaled = min(value, kind.cap) if kind.cap is not None else value
    if kind.scale == talent.LOG:
        scaled = math.log2(1 + max(scaled, 0))
    if kind.basis:
        basis = signals.get(kind.basis, 0)
        scaled *= basis / (basis + CONFIDENCE)
    return kind.weight * scaled


def score_of(found: talent.Contribution, window: talent.Window) -> tuple[float, list[dict]]:
    """The score and its why: [{"name", "value", "points"}, …], strongest first."""
    signals = dict(found.signals)
    active_weeks = sum(1 for items in found.weekly.values() if items)
    if active_weeks:
        signals[CONSISTENCY.name] = round(100 * active_weeks / window.weeks)
    why, total = [], 0.0
    for name, value in signals.items():
        kind = talent.signal_kind(name)
        if kind is None:
            continue
        earned = points(kind, value, signals)
        total += earned
        why.append({"name": name, "value": round(value, 2), "points": round(earned, 2)})
    why.sort(key=lambda item: (-abs(item["points"]), item["name"]))
    return round(total, 2), why


def row_for(member_id: int, found: talent.Contribution, window: talent.Window, period: int, stamp) -> TalentScore:
    score, why = score_of(found, window)
    pieces = sorted(found.pieces, key=lambda piece: -piece.score)[:TOP_PIECES]
    areas = sorted(found.areas.items(), key=lambda item: (-item[1][1], item[1][0]))
    media = sorted(found.media)
    return TalentScore(
        member_id=member_id, period=period, score=score, signals=why,
        pieces=[{"title": p.title, "url": p.url, "score": round(p.score, 2), "kind": p.kind} for p in pieces],
        weekly=[found.weekly.get(week, 0) for week in range(window.weeks)],
        areas=[{"key": key, "name": name, "items": items} for key, (name, items) in areas[:TOP_AREAS]],
        media_keys=f"|{'|'.join(media)}|" if media else "",
        area_keys=f"|{'|'.join(key for key, _value in areas)}|" if areas else "",
        computed_at=stamp)


def compute_period(period: int, *, until, stamp) -> int:
    """Score every member active in the `period` days before `until`; returns how many."""
    window = talent.Window.last(period, until=until)
    merged = talent.collect(window)
    active = set(User.objects.filter(pk__in=list(merged), is_active=True).values_list("pk", flat=True))
    rows = [row_for(member_id, found, window, period, stamp)
            for member_id, found in merged.items() if member_id in active]
    with transaction.atomic():
        TalentScore.objects.bulk_create(
            rows, batch_size=BATCH, update_conflicts=True, unique_fields=["member", "period"],
            update_fields=["score", "signals", "pieces", "weekly", "areas", "media_keys", "area_keys",
                           "computed_at"])
        TalentScore.objects.filter(period=period).exclude(computed_at=stamp).delete()
    return len(rows)


def compute(*, until=None) -> TalentRun:
    """Every period, now (or as of `until`: the benchmark scores its dataset's own last days). A run
    started less than RUNNING_FOR ago and not finished (beat's, or a CM's "compute now" clicked
    twice) is left alone: that run is returned and nothing is computed twice at once."""
    started = time.perf_counter()
    stamp = timezone.now()
    until = until or stamp
    with transaction.atomic():
        TalentRun.objects.select_for_update().filter(pk__in=TalentRun.objects.order_by("-pk").values("pk")[:1]).first()
        running = TalentRun.objects.filter(finished_at__isnull=True, started_at__gte=stamp - RUNNING_FOR).first()
        if running is not None:
            return running
        run = TalentRun.objects.create(started_at=stamp)
    for period in Period.values:
        compute_period(period, until=until, stamp=stamp)
    members = TalentScore.objects.filter(computed_at=stamp).values("member_id").distinct().count()
    run.finished_at = timezone.now()
    run.members = members
    run.seconds = round(time.perf_counter() - started, 3)
    run.save(update_fields=["finished_at", "members", "seconds"])
    return run
