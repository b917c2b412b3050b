"""Everything the shouts bring to the spine, registered once."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from community import content, notifications
from community.events import CONTENT_CREATED
from community.models import Channel, Visibility
from community.notifications import MENTION, Kind, Recipients

from .models import Shout
from .services import KIND

content.register(Shout, name=KIND, label=_("Shout"), author="author", text="body", list_related=("author",),
                 created="created_at")

SHOUT_ANSWER = notifications.register_kind(Kind(
    "shout_answer", _("An answer to my shout"), Channel.IMMEDIATE, priority=45, order=25,
    message=_("<strong>%(actor)s</strong> answered your shout “%(title)s”"),
    message_others=ngettext_lazy("<strong>%(actor)s</strong> and %(count)d other answered your shout “%(title)s”",
                                 "<strong>%(actor)s</strong> and %(count)d others answered your shout “%(title)s”",
                                 "count"),
    subject=_("%(actor)s answered your shout “%(title)s”")))


def _title(shout):
    return shout.body.splitlines()[0][:60]


def new_shout_recipients(event):
    """The members a shout mentions, and the author of the shout it answers."""
    shout = Shout.objects.select_related("author", "answers").filter(pk=event.target_id).first()
    if shout is None or shout.status != Visibility.PUBLISHED:
        return None
    told = dict.fromkeys((event.payload or {}).get("mentions", []), MENTION.name)
    if shout.answers is not None and shout.answers.author_id != shout.author_id:
        told[shout.answers.author_id] = SHOUT_ANSWER.name
        title = _title(shout.answers)
    else:
        title = _title(shout)
    return Recipients(kinds=told, group_key=f"shout:{shout.answers_id or shout.pk}",
                      data={"title": title, "url": shout.get_absolute_url(), "excerpt": shout.body[:160]})


notifications.register_source(CONTENT_CREATED, KIND, new_shout_recipients)
