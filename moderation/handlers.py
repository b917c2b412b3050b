"""Outbox handlers of the moderation app (registered at startup by ModerationConfig.ready).

Every new or changed piece of content is checked *inside* the outbox delivery (the
`community.deliver_event` Celery task), under the event's row lock, before the other handlers of
the event (the notification fan-out then sees whether the content is visible):
1. watched words — approve/alert hits are stored once per word and item; alerts record a
   "moderation.watched_word" event for the CMs watching the word;
2. the spam check — the verdict, the SpamCheck row and the event's "done" commit together; a new
   member's post held for the check is published when it is clean.
A checker that crashes (or a worker killed mid-check) rolls all of it back, the event stays
pending, and the beat sweeper sends it again. `moderation.check_spam` (tasks.py, "spam" queue) is
the same check for out-of-band re-checks.
"""

from community import content, events
from community.models import Visibility

from . import services, watched

CONTENT_EVENTS = (events.CONTENT_CREATED, events.CONTENT_CHANGED)


@events.handles(events.CONTENT_CREATED, first=True)
@events.handles(events.CONTENT_CHANGED, first=True)
def check_spam_on_event(event) -> None:
    kind_name = (event.payload or {}).get("kind")
    if not kind_name or event.target_id is None:
        return
    try:
        kind = content.get_kind(kind_name)
    except KeyError:
        return  # a kind without the content protocol (yet): nothing to check
    obj = kind.fetch([event.target_id]).get(event.target_id)
    if obj is None:
        return
    hits = watched.record_hits(kind=kind, obj=obj, event_id=event.pk)
    if (event.kind == events.CONTENT_CHANGED and event.actor_id == kind.author_id(obj)
            and any(hit.action == "approve" for hit in hits)):
        # The author's edit brought in a word that needs approval (and the edit's own check missed
        # it, e.g. on a stale copy): the item waits for a CM.
        kind.set_status(obj, Visibility.PENDING, only_from=Visibility.PUBLISHED)
    services.check_content(kind_name=kind_name, object_id=event.target_id, at=event.created_at,
                           event_id=event.pk, content_type_id=event.target_type_id,
                           release_held=event.kind == events.CONTENT_CREATED, obj=obj)
