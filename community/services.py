"""Writes of the community app. Public entry points authorize; `_`-less inner helpers trust.

Every function is keyword-only, actor first, and runs in one transaction.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from . import content, events, markup
from .models import Profile, SpamStatus, User, Visibility
from .permissions import Role, check_can_edit_profile

WELCOME_EVENT = "community.welcome"
CONTENT_CHANGED_EVENT = "content.changed"
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
        member.display_name = display_name.strip()
        member.language = language
        member.save(update_fields=["display_name", "language"])

        text_changed = (bio, website, location) != (profile.bio, profile.website, profile.location)
        profile.bio = bio
        profile.bio_html = markup.render(bio).html
        profile.website = website
        profile.location = location.strip()
        if remove_avatar and profile.avatar:
            profile.avatar.delete(save=False)
            profile.avatar = ""
        if avatar is not None:
            if profile.avatar:
                profile.avatar.delete(save=False)  # one file per member, not one per upload
            profile.avatar = avatar
        if text_changed:
            profile.spam_status = SpamStatus.PENDING
        if held and actor.pk == member.pk:
            profile.status = Visibility.PENDING
        profile.save()
        if text_changed:
            events.record_event(CONTENT_CHANGED_EVENT, actor=actor, target=profile,
                                payload={"kind": "community.profile"})
    return profile


def set_language(*, user: User, language: str) -> None:
    """Remember the language a member picked in the header switch."""
    if user.is_authenticated and user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language
