"""Reads of the scouting area: the talent board's rows, the member card."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from community import content, talent
from community.models import MemberSkill, User
from moderation.models import Report, Sanction

from ..models import MemberNote, TalentRun, TalentScore
from . import card, sparkline

WHY_SHOWN = 4
REPORTS_SHOWN = 20
SANCTIONS_SHOWN = 20
NOTES_SHOWN = 50


@dataclass
class Why:
    text: str
    points: float

    @property
    def negative(self) -> bool:
        return self.points < 0


@dataclass
class BoardRow:
    score: TalentScore
    why: list[Why]
    skills: list[MemberSkill] = field(default_factory=list)

    @property
    def member(self):
        return self.score.member

    @property
    def pieces(self) -> list[dict]:
        return pieces_of(self.score)

    @property
    def media_labels(self) -> list:
        labels = talent.media_labels()
        return [labels[key] for key in self.score.media if key in labels]


def why_of(score: TalentScore, limit: int = WHY_SHOWN) -> list[Why]:
    """The score's strongest signals as words ("12 likes per post"), strongest first."""
    shown = []
    for item in score.signals:
        kind = talent.known_signal(item["name"])
        if kind is None or not item.get("points"):
            continue
        shown.append(Why(text=kind.says(item["value"]), points=item["points"]))
        if len(shown) == limit:
            break
    return shown


def pieces_of(score: TalentScore) -> list[dict]:
    """The score's best pieces, each kind's name as its label in the reader's language."""
    return [{**piece, "kind": talent.piece_kind_label(piece.get("kind") or "")} for piece in score.pieces]


def board_scores(*, period: int, area: str = "", skill: str = "", verified: bool = False, media: str = ""):
    """The ranked scores of a period, filtered (a queryset: the view pages it)."""
    scores = TalentScore.objects.filter(period=period, member__is_active=True).select_related("member")
    if area:
        scores = scores.filter(area_keys__contains=f"|{area}|")
    if media:
        scores = scores.filter(media_keys__contains=f"|{media}|")
    if skill or verified:  # "verified only" alone: members with at least one verified skill
        declared = MemberSkill.objects.filter(user_id=OuterRef("member_id"))
        if skill:
            declared = declared.filter(skill=skill)
        if verified:
            declared = declared.filter(verified_at__isnull=False)
        scores = scores.filter(Exists(declared))
    return scores.order_by("-score", "member_id")


def board_rows(scores) -> list[BoardRow]:
    """A page of scores as rows, with each member's skills (one query for the page)."""
    scores = list(scores)
    skills: dict[int, list] = {}
    for skill in MemberSkill.objects.filter(user_id__in=[score.member_id for score in scores]).order_by("skill"):
        skills.setdefault(skill.user_id, []).append(skill)
    return [BoardRow(score=score, why=why_of(score), skills=skills.get(score.member_id, [])) for score in scores]


def last_run() -> TalentRun | None:
    return TalentRun.objects.filter(finished_at__isnull=False).first()


# --- The member card -------------------------------------------------------------------------------

def card_member(username: str):
    return get_object_or_404(User.objects.select_related("profile"), username=username)


def reports_about(member, *, limit: int = REPORTS_SHOWN):
    """Reports on anything the member wrote (any registered content kind): one query, then the
    reported items in one query per kind among them (to link them)."""
    about = Q()
    for kind in content.kinds():
        authored = kind.model.objects.filter(**{kind.author_field: member}).values("pk")
        about |= Q(kind=kind.name, object_id__in=authored)
    if not about:
        return []
    reports = list(Report.objects.filter(about).select_related("reporter", "resolved_by")
                   .order_by("-created_at", "-pk")[:limit])
    found = content.fetch_mixed([(report.kind, report.object_id) for report in reports])
    for report in reports:
        report.target = found.get((report.kind, report.object_id))
        report.kind_label = content.get_kind(report.kind).label if content.is_registered(report.kind) else report.kind
    return reports


def member_card(member, viewer) -> dict:
    scores = {score.period: score for score in TalentScore.objects.filter(member=member)}
    best = scores.get(365) or scores.get(90) or scores.get(30)
    return {
        "member": member,
        "scores": [(period, scores.get(period)) for period in (30, 90, 365)],
        "why": why_of(best, limit=8) if best else [],
        "pieces": pieces_of(best) if best else [],
        "areas": best.areas if best else [],
        "sparkline": sparkline.draw(best.weekly) if best else None,
        "skills": list(MemberSkill.objects.filter(user=member).select_related("verified_by").order_by("skill")),
        "notes": list(MemberNote.objects.filter(member=member).select_related("author")[:NOTES_SHOWN]),
        "reports": reports_about(member),
        "sanctions": list(Sanction.objects.filter(member=member).select_related("created_by")[:SANCTIONS_SHOWN]),
        "sections": [(section, section.data(member, viewer)) for section in card.sections()],
        "actions": [(action.label, action.url(member)) for action in card.actions()],
    }
