"""Fixtures of the curation tests (imported by tests/cm/test_curation_*.py): spaces made by
`create_space`, posts published as Wagtail does it, a client per role."""

import datetime

import pytest

from blogs.models import SpacePostPage
from blogs.services import create_space
from cm.curation import services
from tests.factories import ForumFactory, TopicFactory, UserFactory


@pytest.fixture
def make_space(db, cm):
    def make(owner=None, *, title="Night shift", kind="column", **kwargs):
        return create_space(actor=cm, owner=owner or UserFactory(), kind=kind, title=title, **kwargs)

    return make


@pytest.fixture
def add_post(db):
    def add(space, title="A post", *, excerpt="", date=None):
        post = SpacePostPage(title=title, excerpt=excerpt, date=date or datetime.date(2025, 3, 1), body=[])
        space.add_child(instance=post)
        post.save_revision(user=space.space_owner).publish(user=space.space_owner)
        post.refresh_from_db()
        return post

    return add


@pytest.fixture
def forum(db):
    return ForumFactory(name="Bikes", slug="bikes")


@pytest.fixture
def topic(forum, member):
    return TopicFactory(forum=forum, author=member, title="Tubeless tyres", body="Worth it on gravel? **Yes**.")


@pytest.fixture
def feature(cm):
    """feature(kind, item, **dates) as a CM adds it."""

    def add(kind, item, **kwargs):
        return services.add_feature(actor=cm, kind=kind, text=str(item), **kwargs)

    return add


@pytest.fixture
def announce(cm):
    def add(title="Photo challenge", **kwargs):
        return services.save_announcement(actor=cm, title=title, **kwargs)

    return add


@pytest.fixture
def cm_client(client, cm):
    client.force_login(cm)
    return client
