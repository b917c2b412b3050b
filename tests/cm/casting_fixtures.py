"""Fixtures of the casting tests (imported by tests/cm/test_casting_*.py): invitations sent the one
real way (cm.casting.services.cast, by a CM), with their events delivered as after a commit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from blogs.models import SpacePostPage
from cm.casting import services
from tests.factories import UserFactory


@pytest.fixture
def delivered(django_capture_on_commit_callbacks):
    """`with delivered():` runs what commits would (event fan-out, emails) inside a test transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def invite(db, cm, delivered):
    def make(member, *, kind="podcast", title="Night radio", message="We love your posts.", starts_on=None,
             ends_on=None, actor=None):
        today = timezone.localdate()
        with delivered():
            casting, _created = services.cast(actor=actor or cm, member=member, kind=kind, title=title,
                                              message=message, starts_on=starts_on or today,
                                              ends_on=ends_on or today + timedelta(days=365))
        return casting

    return make


@pytest.fixture
def featured(invite, delivered):
    """A member cast into a column and who accepted: (casting, member)."""

    def make(username="ada", *, kind="column", title="Ada's column", **kwargs):
        member = UserFactory(username=username)
        casting = invite(member, kind=kind, title=title, **kwargs)
        with delivered():
            services.accept(actor=member, casting_id=casting.pk)
        casting.refresh_from_db()
        return casting, member

    return make


@pytest.fixture
def add_post(db):
    def add(space, title="A post", owner=None):
        post = SpacePostPage(title=title, excerpt="Short.")
        space.add_child(instance=post)
        post.save_revision(user=owner or space.space_owner).publish(user=owner or space.space_owner)
        post.refresh_from_db()
        return post

    return add
