"""Reads of the mediation area: the brand-watch inbox and the escalations list.

The inbox is a page of watched-word alerts (moderation.WatchedWordHit, action "alert") with their
shared state (WatchAlert, joined), then the page's items batch-loaded through the content protocol
(community.content.fetch_mixed: one query per kind on the page): a fixed number of queries
whatever the number of alerts. Where an item lives and its reply form come from the apps'
registrations (community.replying), without a query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from community import content, replying
from community.permissions.mediation import may_show_watched_text
from moderation.models import WatchedAction, WatchedWordHit

from ..models import Escalation, EscalationStatus
from .context import Sentence, WordFinder, readable_text, sentence

SHOWS = ("open", "mine", "done")


@dataclass
class InboxAlert:
    hit: WatchedWordHit
    kind: content.ContentKind | None
    obj: object | None
    sentence: Sentence | None = None
    place: str = ""
    url: str = ""
    reply_url: str = ""
    text_shown: bool = False
    message: str = ""  # what a just-made change says (htmx row)
    message_level: str = "success"

    @property
    def state(self):
        return getattr(self.hit, "watch_alert", None)

    @property
    def dom_id(self):
        return f"alert-{self.hit.pk}"

    @property
    def author(self):
        return self.kind.author(self.obj) if self.obj is not None else None

    @property
    def status(self):
        return self.obj.get_status_display() if self.obj is not None and hasattr(self.obj, "get_status_display") else ""

    @property
    def is_public(self):
        return self.obj is not None and self.kind.is_public(self.obj)

    @property
    def is_done(self):
        return self.state is not None and self.state.done_at is not None

    @property
    def taken_by(self):
        state = self.state
        return state.claimed_by if state is not None and state.done_at is None else None


def alert_rows(viewer, show: str = "open"):
    """The alerts of one tab, newest first, with their word and shared state (one page query)."""
    rows = (WatchedWordHit.objects.filter(action=WatchedAction.ALERT)
            .select_related("word", "watch_alert__claimed_by", "watch_alert__done_by"))
    if show == "done":
        rows = rows.filter(watch_alert__done_at__isnull=False)
    elif show == "mine":
        rows = rows.filter(watch_alert__claimed_by=viewer, watch_alert__done_at__isnull=True)
    else:
        rows = rows.filter(Q(watch_alert__isnull=True) | Q(watch_alert__done_at__isnull=True))
    return rows.order_by("-created_at", "-pk")


def inbox_alerts(hits) -> list[InboxAlert]:
    """Decorate one page of alerts: one query per content kind on the page, nothing per row."""
    hits = list(hits)
    refs = [(hit.kind, hit.object_id) for hit in hits if content.is_registered(hit.kind)]
    found = content.fetch_mixed(refs)
    finder = WordFinder()
    alerts = []
    for hit in hits:
        kind = content.get_kind(hit.kind) if content.is_registered(hit.kind) else None
        obj = found.get((hit.kind, hit.object_id))
        alert = InboxAlert(hit=hit, kind=kind, obj=obj)
        if obj is not None:
            alert.place = replying.place(kind.name, obj)
            alert.url = kind.url(obj)
            alert.text_shown = may_show_watched_text(status=kind.status(obj), deleted=kind.is_deleted(obj))
            if alert.text_shown:
                alert.sentence = sentence(readable_text(kind, obj), hit.word.phrase, finder)
                alert.reply_url = replying.reply_form_url(kind.name, obj)
        alerts.append(alert)
    return alerts


def inbox_alert(hit_id: int) -> InboxAlert | None:
    """One row of the inbox as it stands now (after an htmx change)."""
    hit = (WatchedWordHit.objects.filter(action=WatchedAction.ALERT, pk=hit_id)
           .select_related("word", "watch_alert__claimed_by", "watch_alert__done_by").first())
    return inbox_alerts([hit])[0] if hit is not None else None


def open_count() -> int:
    return alert_rows(None, "open").count()


def escalation_rows(status: str = ""):
    rows = Escalation.objects.select_related("member", "escalated_by", "answered_by", "report")
    if status in EscalationStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")
