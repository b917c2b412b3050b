"""Writing a shout: what any content service of Tribune does, with the shared pieces only."""

from django.db import transaction

from community import content, writing
from community.models import SpamStatus
from community.permissions import check_can_post

from .models import Shout

KIND = "shouts.shout"


def shout(*, actor, body: str, answers: Shout | None = None) -> Shout:
    check_can_post(actor)
    written = writing.prepare(author=actor, body=body)  # cleaned, rendered once, mentions found
    status = content.initial_status(KIND, author=actor, text=written.body)  # watched words, new members
    with transaction.atomic():
        row = Shout.objects.create(author=actor, body=written.body, body_html=written.html, answers=answers,
                                   status=status, spam_status=SpamStatus.PENDING)
        content.content_created(row, actor=actor, payload={
            "mentions": writing.mentioned_ids(written.mentions, exclude_id=actor.pk),
            "answers": answers.pk if answers is not None else None,
        })
    return row
