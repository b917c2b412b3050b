"""Writes of the community app. Public entry points authorize; `_`-less inner helpers trust.

Every function is keyword-only, actor first, and runs in one transaction.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from . import avatars, content, events, identity, markup, writing
from . import skills as member_skills
from .models import Profile, SpamStatus, User, Visibility
from .permissions import Role, check_can_edit_profile, community_managers_filter

WELCOME_EVENT = events.WELCOME
PROFILE_KIND = "community.profile"


def set_up_member(*, user: User) -> Profile:
    """Trusted: give a new account its profile and the Members role (signup, seeds, admin)."""
    with transaction.atomic():
        profile, _created = Profile.objects.get_or_create(user=user)
        group, _ = Group.objects.get_or_create(name=Role.MEMBER)
        user.groups.add(group)
    return profile


def welcome_member(*, user: User):
    """Record the welcome email after the member confirmed their address (sent at most once)."""
    return events.record_event(WELCOME_EVENT, actor=user, target=user, key=f"welcome:{user.pk}")


def update_profile(
    *,
    actor: User,
    member: User,
    display_name: str,
    language: str,
    bio: str,
    website: str,
    location: str,
    avatar=None,
    remove_avatar: bool = False,
    skills=None,
) -> Profile:
    """Edit a member's profile. The avatar is re-encoded and the bio rendered here, before the
    transaction opens; what changed is checked for watched words (`_check_changes`); the profile's
    text is checked for spam after commit. `skills` (names of community.models.Skill), when given,
    become the member's declared skills (community.skills.set_skills), in the same transaction."""
    check_can_edit_profile(actor, member)
    if skills is not None:
        skills = member_skills.parse(skills)  # an unknown skill is refused before anything is written
    display_name, location = writing.clean_name(display_name), writing.clean_name(location)
    if display_name and display_name != member.display_name and actor.pk == member.pk:
        _check_display_name(display_name, member)
    if avatar is not None:
        avatar = avatars.reencode(avatar)  # Pillow's work, outside the transaction (a no-op after the form)
    current = (Profile.objects.filter(user=member).values("bio", "website", "location").first()
               or {"bio": "", "website": "", "location": ""})
    held = _check_changes(actor=actor, member=member, display_name=display_name,
                          text={"bio": bio, "website": website, "location": location}, current=current)
    bio_html = markup.render(bio).html
    with transaction.atomic():
        profile, _created = Profile.objects.select_for_update().get_or_create(user=member)
        member.display_name = display_name
        member.language = language
        member.save(update_fields=["display_name", "language"])

        text_changed = (bio, website, location) != (profile.bio, profile.website, profile.location)
        profile.bio = bio
        profile.bio_html = bio_html
        profile.website = website
        profile.location = location
        old_file = profile.avatar.name if profile.avatar else ""
        if remove_avatar and profile.avatar:
            profile.avatar = ""
        if avatar is not None:
            profile.avatar = avatar  # one file per member, not one per upload: the old one goes
        if old_file and (remove_avatar or avatar is not None):
            # Deleted once the new row is committed: a rolled-back save keeps the member's picture.
            storage = profile.avatar.storage
            transaction.on_commit(lambda: storage.delete(old_file))
        if text_changed:
            profile.spam_status = SpamStatus.PENDING
        if held:
            profile.status = Visibility.PENDING
        profile.save()
        if text_changed:
            content.content_changed(profile, actor=actor)
        if skills is not None:
            member_skills.set_skills(actor=actor, member=member, skills=skills)
    return profile


def _check_display_name(name: str, member: User) -> None:
    """A display name must not pass for someone else: not a look-alike (community.identity's
    skeleton) of another member's username or a reserved name, nor of a community manager's or a
    staff member's display name (they are few: read at once). Other members' display names may
    repeat, as names do. Raises ValidationError on the field."""
    found = identity.skeleton(name)
    if found in identity.reserved_skeletons() or User.objects.filter(username_skeleton=found).exclude(
            pk=member.pk).exists():
        raise ValidationError({"display_name": _(
            "This name looks like another member's username or a reserved name: choose another one.")})
    leaders = (User.objects.filter(community_managers_filter() | Q(is_staff=True, is_active=True))
               .exclude(pk=member.pk).exclude(display_name="").values_list("display_name", flat=True))
    if any(identity.skeleton(leader) == found for leader in leaders):
        raise ValidationError({"display_name": _(
            "This name looks like a community manager's or a staff member's name: choose another one.")})


def _check_changes(*, actor: User, member: User, display_name: str, text: dict, current: dict) -> bool:
    """Watched words on the fields that changed (an unchanged one was checked when written, and a
    text a CM approved stays approved). A "block" word is refused in any field. A "require approval"
    word holds the profile's text — bio, website and location, shown together on the profile page
    under one status — until a CM approves it (returns True); in the display name, which lives on
    the account and is shown beside every post with no pending copy to show meanwhile, it is
    refused. Staff editing someone else's profile approve their own edit. Raises PublishRefused
    with the message on each offending field."""
    errors: dict[str, list] = {}
    held = False
    checked = [("display_name", display_name, member.display_name)]
    checked += [(field, value, current[field]) for field, value in text.items()]
    for field, value, before in checked:
        if not value.strip() or value == before:
            continue
        try:
            status = content.initial_status(PROFILE_KIND, author=member, text=value, editing=True)
        except content.PublishRefused as exc:
            errors[field] = exc.error_list
            continue
        if status != Visibility.PENDING or actor.pk != member.pk:
            continue
        if field == "display_name":
            errors[field] = [ValidationError(_("This name needs a moderator's approval: choose another one."),
                                             code="watched_word_approval")]
        else:
            held = True
    if errors:
        raise content.PublishRefused(errors)
    return held


def edit_profile_text(*, actor: User, profile: Profile, bio: str, website: str, location: str) -> Profile:
    """Staff edit a member's profile text (the admin): rendered once, checked again like any edit."""
    check_can_edit_profile(actor, profile.user)
    bio_html = markup.render(bio).html  # before the transaction: rendering holds no lock
    with transaction.atomic():
        profile.bio = bio
        profile.bio_html = bio_html
        profile.website = website
        profile.location = (location or "").strip()
        profile.spam_status = SpamStatus.PENDING
        profile.save(update_fields=["bio", "bio_html", "website", "location", "spam_status", "updated_at"])
        content.content_changed(profile, actor=actor)
    return profile


def set_language(*, actor: User, language: str) -> None:
    """Remember the language a member picked in the header switch."""
    if actor.is_authenticated and actor.language != language:
        User.objects.filter(pk=actor.pk).update(language=language)
        actor.language = language
