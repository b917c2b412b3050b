"""Outbox handlers of the moderation app (registered at startup by ModerationConfig.ready).

Every new or changed piece of content is spam-checked *inside* the outbox delivery (the
`community.deliver_event` Celery task), under the event's row lock: the verdict, the SpamCheck row
and the event's "done" commit together. A checker that crashes (or a worker killed mid-check)
rolls all of it back, the event stays pending, and the beat sweeper sends it again — no second
durable intent to keep, no separate sweeper. `moderation.check_spam` (tasks.py, "spam" queue) is
the same check for out-of-band re-checks.
"""

from community import content, events

from . import services

CONTENT_EVENTS = ("content.created", "content.changed")


@events.handles("content.created")
@events.handles("content.changed")
def check_spam_on_event(event) -> None:
    kind_name = (event.payload or {}).get("kind")
    if not kind_name or event.target_id is None:
        return
    try:
        content.get_kind(kind_name)
    except KeyError:
        return  # a kind without the content protocol (yet): nothing to check
    services.check_content(kind_name=kind_name, object_id=event.target_id, at=event.created_at,
                           event_id=event.pk, content_type_id=event.target_type_id)
