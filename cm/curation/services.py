"""Home page curation, written here only: featured items (add, order, end, remove) and announcements
(publish, change, end), each checked (`check_can_curate`) and audit-logged; a member closing a banner.

Rules: an item is one a registered featuring kind knows and the CM may read; it is featured once at a
time (no two features of one item with overlapping dates); an end comes after the start and not in
the past; a partner's or a sponsor's announcement names them. Errors are ValidationErrors keyed by
the form's fields. Double submits give one result (the CM's row lock, then a look for the twin).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from community import featuring, markup, pagecache, writing
from community.permissions.curation import check_can_curate
from moderation.models import AuditLogEntry

from ..models import Announcement, AnnouncementDismissal, AnnouncementKind, Feature

# The page-cache generation of what curation puts on the home page (community.pagecache): bumped
# after every change, for a cached home page to depend on.
HOME_GENERATION = "cm:home"
ANNOUNCEMENT_KIND = "cm.announcement"  # AuditLogEntry.kind of an announcement
BODY_MAX_BYTES = 2000
SESSION_KEY = "cm_dismissed_announcements"  # a visitor's closed banners
SESSION_MAX = 50
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=10)


def _log(actor, action, *, kind, object_id, reason="", **detail):
    AuditLogEntry.objects.create(actor=actor, action=action, kind=kind, object_id=object_id, reason=reason,
                                 detail={key: value for key, value in detail.items() if value not in (None, "")})


def _changed():
    pagecache.bump_after_commit([HOME_GENERATION])


def _check_dates(starts_at, ends_at, now, *, was_ending=None):
    if ends_at is None:
        return
    unchanged = was_ending is not None and abs(ends_at - was_ending) < timedelta(minutes=1)  # (the form's minutes)
    if ends_at <= now and not unchanged:
        raise ValidationError({"ends_at": _("This end is already past: choose a later one, or leave it empty.")},
                              code="ends_in_the_past")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must come after the start.")}, code="ends_before_start")


# --- Featured items --------------------------------------------------------------------------------------

def find_item(*, actor, kind: str, text: str) -> tuple[int, featuring.Card]:
    """The item of `kind` named by `text` (an address or an id) that `actor` may read: (id, card)."""
    if not featuring.is_registered(kind):
        raise ValidationError({"kind": _("Choose what kind of item to feature.")}, code="unknown_kind")
    object_id = featuring.lookup(kind, text)
    label = featuring.get(kind).label
    if object_id is None:
        raise ValidationError({"item": _("This is not the address of an item of this kind (%(kind)s) on this site: "
                                         "paste its address, or type its number.") % {"kind": label}},
                              code="unknown_item")
    card = featuring.resolve_many([(kind, object_id)], actor).get((kind, object_id))
    if card is None:
        raise ValidationError({"item": _("No public item of this kind (%(kind)s) has this address or number: it "
                                         "may have been deleted, taken offline or made private.") % {"kind": label}},
                              code="unknown_item")
    # The home page is everyone's: an item only members or CMs may read is refused now (and one made
    # private later is still left out when the page is drawn, for whoever may not read it).
    if (kind, object_id) not in featuring.resolve_many([(kind, object_id)], AnonymousUser()):
        raise ValidationError({"item": _("“%(title)s” is not public: visitors may not read it, so it cannot be "
                                         "featured on the home page.") % {"title": card.title}},
                              code="not_public")
    return object_id, card


def add_feature(*, actor, kind: str, text: str, starts_at=None, ends_at=None, note: str = "") -> Feature:
    """Feature an item on the home page, last in the CMs' order, from `starts_at` (default: now)
    until `ends_at` (None: until ended)."""
    check_can_curate(actor)
    now = timezone.now()
    start_given = starts_at is not None
    starts_at = starts_at or now
    _check_dates(starts_at, ends_at, now)
    object_id, card = find_item(actor=actor, kind=kind, text=text)
    note = writing.clean_name(note)[:200]
    with transaction.atomic():
        writing.lock_author(actor)  # one CM's double submit waits for the first, then finds it
        overlapping = Feature.objects.filter(kind=kind, object_id=object_id).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=starts_at))
        if ends_at is not None:
            overlapping = overlapping.filter(starts_at__lt=ends_at)
        twin = overlapping.first()
        if twin is not None:
            if twin.created_by_id == actor.pk and twin.created_at >= now - DOUBLE_SUBMIT_WINDOW \
                    and twin.ends_at == ends_at and twin.note == note \
                    and (not start_given or abs(twin.starts_at - starts_at) < timedelta(minutes=1)):
                return twin  # the same form sent twice
            # Other dates or another note: say so (the existing feature is kept, as the CMs' page shows it).
            raise ValidationError({"item": _("“%(title)s” is already featured at those dates (since %(since)s): "
                                             "end or remove that feature on the curation page first to change "
                                             "its dates or its note.") % {
                "title": card.title, "since": formats.date_format(timezone.localtime(twin.starts_at),
                                                                  "SHORT_DATETIME_FORMAT")}},
                                  code="duplicate")
        last = Feature.objects.not_ended(now).aggregate(last=Max("position"))["last"] or 0
        try:
            with transaction.atomic():
                feature = Feature.objects.create(kind=kind, object_id=object_id, position=last + 1,
                                                 starts_at=starts_at, ends_at=ends_at, note=note, created_by=actor)
        except IntegrityError:  # another CM featured it at the same moment
            raise ValidationError({"item": _("“%(title)s” is already featured at those dates.") % {"title": card.title}},
                                  code="duplicate") from None
        _log(actor, "feature_add", kind=kind, object_id=object_id, title=card.title, feature=feature.pk,
             starts_at=starts_at.isoformat(), ends_at=ends_at.isoformat() if ends_at else None)
        _changed()
    return feature


def move_feature(*, actor, feature: Feature, direction: str) -> bool:
    """Move a current or scheduled feature one place "up" or "down" in the CMs' order (positions
    are renumbered 1, 2, 3… under the rows' locks). False when it was already at that end."""
    check_can_curate(actor)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move it up or down."), code="direction")
    with transaction.atomic():
        order = list(Feature.objects.select_for_update().not_ended().order_by("position", "pk"))
        ids = [row.pk for row in order]
        if feature.pk not in ids:
            return False
        at = ids.index(feature.pk)
        to = at - 1 if direction == "up" else at + 1
        if not 0 <= to < len(order):
            return False
        order[at], order[to] = order[to], order[at]
        for position, row in enumerate(order, start=1):
            row.position = position
        Feature.objects.bulk_update(order, ["position"])
        _log(actor, "feature_move", kind=feature.kind, object_id=feature.object_id, feature=feature.pk,
             direction=direction, position=to + 1)
        _changed()
    return True


def end_feature(*, actor, feature: Feature) -> bool:
    """Take a feature off the home page now (a scheduled one never shows). False if already ended."""
    check_can_curate(actor)
    now = timezone.now()
    with transaction.atomic():
        locked = Feature.objects.select_for_update().filter(pk=feature.pk).first()
        if locked is None or locked.state(now) == "ended":
            return False
        changes = {"ends_at": now}
        if locked.starts_at > now:
            changes["starts_at"] = now
        Feature.objects.filter(pk=feature.pk).update(**changes)
        _log(actor, "feature_end", kind=feature.kind, object_id=feature.object_id, feature=feature.pk)
        _changed()
    return True


def remove_feature(*, actor, feature: Feature) -> bool:
    """Delete a feature (a mistake; "end" keeps the record). False if it was already gone."""
    check_can_curate(actor)
    with transaction.atomic():
        deleted, _rows = Feature.objects.filter(pk=feature.pk).delete()
        if deleted:
            _log(actor, "feature_remove", kind=feature.kind, object_id=feature.object_id, feature=feature.pk)
            _changed()
    return bool(deleted)


# --- Announcements ---------------------------------------------------------------------------------------

def save_announcement(*, actor, announcement: Announcement | None = None, title: str, body: str = "",
                      link_url: str = "", kind: str = AnnouncementKind.COMMUNITY, sponsor_name: str = "",
                      starts_at=None, ends_at=None) -> Announcement:
    """Publish (no `announcement`) or change an announcement. Its text is Markdown, rendered once
    here; a partner's or a sponsor's names them (the banner always shows the label and the name)."""
    check_can_curate(actor)
    now = timezone.now()
    errors = {}
    try:
        title = writing.clean_title(title, max_length=120, empty_message=_("Give the announcement a title."))
    except ValidationError as exc:
        errors["title"] = exc.messages
    body = writing.strip_text(body)
    html = ""
    if body:
        try:
            body = writing.clean_body(body, max_bytes=BODY_MAX_BYTES)
            html = markup.without_images(markup.render(body).html)  # no picture (a tracking pixel) on the home page
        except ValidationError as exc:
            errors["body"] = exc.messages
    if kind not in AnnouncementKind.values:
        errors["kind"] = [_("Choose the kind of announcement.")]
    sponsor_name = writing.clean_name(sponsor_name)[:120]
    if kind in (AnnouncementKind.PARTNER, AnnouncementKind.SPONSORED) and not sponsor_name:
        errors["sponsor_name"] = [_("Name the partner or the sponsor: members always see who it is.")]
    if kind == AnnouncementKind.COMMUNITY:
        sponsor_name = ""
    if errors:
        raise ValidationError(errors)
    starts_at = starts_at or (announcement.starts_at if announcement else now)
    _check_dates(starts_at, ends_at, now, was_ending=announcement.ends_at if announcement else None)
    fields = {"title": title, "body": body, "body_html": html, "link_url": link_url or "", "kind": kind,
              "sponsor_name": sponsor_name, "starts_at": starts_at, "ends_at": ends_at, "updated_at": now}
    with transaction.atomic():
        writing.lock_author(actor)
        if announcement is None:
            twin = Announcement.objects.filter(created_by=actor, title=title, body=body, kind=kind,
                                               created_at__gte=now - DOUBLE_SUBMIT_WINDOW).first()
            if twin is not None:
                return twin  # the same form sent twice
            announcement = Announcement.objects.create(created_by=actor, created_at=now, **fields)
            action = "announcement_add"
        else:
            Announcement.objects.filter(pk=announcement.pk).update(**fields)
            for name, value in fields.items():
                setattr(announcement, name, value)
            action = "announcement_change"
        _log(actor, action, kind=ANNOUNCEMENT_KIND, object_id=announcement.pk, title=title,
             label=announcement.label, sponsor=sponsor_name)
        _changed()
    return announcement


def end_announcement(*, actor, announcement: Announcement) -> bool:
    check_can_curate(actor)
    now = timezone.now()
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().filter(pk=announcement.pk).first()
        if locked is None or locked.state(now) == "ended":
            return False
        changes = {"ends_at": now, "updated_at": now}
        if locked.starts_at > now:
            changes["starts_at"] = now
        Announcement.objects.filter(pk=announcement.pk).update(**changes)
        _log(actor, "announcement_end", kind=ANNOUNCEMENT_KIND, object_id=announcement.pk, title=locked.title)
        _changed()
    return True


def dismiss_announcement(*, actor, announcement: Announcement, session) -> None:
    """Close a banner: for good for a member (idempotent), for the visit for a visitor (the session)."""
    if actor.is_authenticated:
        AnnouncementDismissal.objects.bulk_create([AnnouncementDismissal(member=actor, announcement=announcement)],
                                                  ignore_conflicts=True)
        return
    closed = [pk for pk in session.get(SESSION_KEY, []) if isinstance(pk, int) and pk != announcement.pk]
    session[SESSION_KEY] = [*closed[-(SESSION_MAX - 1):], announcement.pk]
