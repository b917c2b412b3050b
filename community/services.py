"""Writes of the community app. Public entry points authorize; `_`-less inner helpers trust.

Every function is keyword-only, actor first, and runs in one transaction.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from . import content, events, markup, writing
from .models import Profile, SpamStatus, User, Visibility
from .permissions import Role, check_can_edit_profile

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
) -> Profile:
    """Edit a member's profile; the bio is rendered once here and checked for spam after commit."""
    check_can_edit_profile(actor, member)
    # The name and location are shown everywhere: a blocked word is refused there too.
    content.initial_status(PROFILE_KIND, author=member, parts=[display_name, location], editing=True)
    current_bio = Profile.objects.filter(user=member).values_list("bio", flat=True).first() or ""
    held = False
    if bio.strip() and bio != current_bio:
        # Watched words apply to bios too: "block" raises content.PublishRefused, "require approval"
        # keeps the new bio out of view until a CM approves it in the review queue.
        held = content.initial_status(PROFILE_KIND, author=member, text=bio, editing=True) == Visibility.PENDING
    with transaction.atomic():
        profile, _created = Profile.objects.select_for_update().get_or_create(user=member)
        member.display_name = writing.clean_name(display_name)
        member.language = language
        member.save(update_fields=["display_name", "language"])

        text_changed = (bio, website, location) != (profile.bio, profile.website, profile.location)
        profile.bio = bio
        profile.bio_html = markup.render(bio).html
        profile.website = website
        profile.location = location.strip()
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
        if held and actor.pk == member.pk:
            profile.status = Visibility.PENDING
        profile.save()
        if text_changed:
            content.content_changed(profile, actor=actor)
    return profile


def edit_profile_text(*, actor: User, profile: Profile, bio: str, website: str, location: str) -> Profile:
    """Staff edit a member's profile text (the admin): rendered once, checked again like any edit."""
    check_can_edit_profile(actor, profile.user)
    with transaction.atomic():
        profile.bio = bio
        profile.bio_html = markup.render(bio).html
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
