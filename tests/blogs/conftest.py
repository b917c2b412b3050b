"""Fixtures of the contributor spaces: spaces made the one real way (`create_space`, by a CM) and
posts added and published as Wagtail does it (a revision, then publish)."""

import datetime

import pytest

from blogs.models import SpacePostPage
from blogs.services import create_space
from tests.factories import UserFactory


@pytest.fixture
def make_space(db, cm):
    def make(owner=None, *, title="Night shift", kind="column", **kwargs):
        owner = owner or UserFactory()
        return create_space(actor=cm, owner=owner, kind=kind, title=title, **kwargs)

    return make


@pytest.fixture
def add_post(db):
    def add(space, title="A post", *, live=True, date=None, body=None, **kwargs):
        post = SpacePostPage(title=title, date=date or datetime.date(2025, 3, 1), body=body or [], **kwargs)
        space.add_child(instance=post)
        revision = post.save_revision(user=space.space_owner)
        if live:
            revision.publish(user=space.space_owner)
        else:
            post.live = False
            post.save(update_fields=["live"])
        post.refresh_from_db()
        return post

    return add


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob")


@pytest.fixture
def space_a(make_space, alice):
    return make_space(alice, title="Alice's column")


@pytest.fixture
def space_b(make_space, bob):
    return make_space(bob, title="Bob's channel", kind="video")
