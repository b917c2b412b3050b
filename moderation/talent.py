"""What moderation brings to the CM workspace's talent registry (registered at import, from moderation's ready()).

Negative signals, per window: what a member wrote in the window that moderators removed or hid, or
judged spam (one query per content kind that declares its creation field), and the sanctions they
were given in the window (one query)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from community import content, talent
from community.models import SpamStatus, Visibility

from .models import Sanction, SanctionKind

SANCTION_SIGNALS = {
    SanctionKind.WARN: "moderation.warnings",
    SanctionKind.SILENCE: "moderation.silences",
    SanctionKind.SUSPEND: "moderation.suspensions",
    SanctionKind.BAN: "moderation.bans",
}

for kind in (
    talent.SignalKind("moderation.removed", _("Content removed"), ngettext_lazy(
        "%(value)s piece removed by moderators", "%(value)s pieces removed by moderators", "value"),
        weight=-3.0, cap=20),
    talent.SignalKind("moderation.warnings", _("Warnings"), ngettext_lazy(
        "%(value)s warning", "%(value)s warnings", "value"), weight=-3.0, cap=5),
    talent.SignalKind("moderation.silences", _("Silences"), ngettext_lazy(
        "silenced %(value)s time", "silenced %(value)s times", "value"), weight=-6.0, cap=5),
    talent.SignalKind("moderation.suspensions", _("Suspensions"), ngettext_lazy(
        "suspended %(value)s time", "suspended %(value)s times", "value"), weight=-10.0, cap=5),
    talent.SignalKind("moderation.bans", _("Bans"), ngettext_lazy(
        "banned %(value)s time", "banned %(value)s times", "value"), weight=-40.0, cap=1),
):
    talent.register_signal(kind)


def moderation_signals(window: talent.Window) -> talent.Contributions:
    found = talent.Contributions()
    moderated = Q(status__in=[Visibility.HIDDEN, Visibility.REMOVED]) | Q(spam_status=SpamStatus.SPAM)
    for kind in content.kinds():
        if not kind.created_field:
            continue
        rows = kind.model.objects.filter(moderated, **{f"{kind.created_field}__gte": window.since,
                                                       f"{kind.created_field}__lt": window.until})
        if kind.deleted_field:
            rows = rows.exclude(**{kind.deleted_field: True})
        author = f"{kind.author_field}_id"
        for row in rows.order_by().values(author).annotate(n=Count("pk")):
            if row[author]:
                found[row[author]].signal("moderation.removed", row["n"])
    sanctions = (Sanction.objects.filter(created_at__gte=window.since, created_at__lt=window.until).order_by()
                 .values("member_id", "kind").annotate(n=Count("id")))
    for row in sanctions:
        name = SANCTION_SIGNALS.get(row["kind"])
        if name:
            found[row["member_id"]].signal(name, row["n"])
    return found


talent.register_provider("moderation", moderation_signals)
