"""The featured spaces' registry (community.spaces): the core names the operations casting drives;
the host (blogs) registers them; the workspace reads spaces as plain values, by id, in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community import spaces
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_host_offers_its_kinds_and_only_one_host_is_allowed():
    assert [value for value, _label in spaces.kinds()] == ["column", "video", "photo", "podcast"]
    assert str(spaces.kind_label("podcast")) == "Podcast"
    assert spaces.register(spaces.host()) is spaces.host()  # again, the same: harmless
    with pytest.raises(ValueError, match="already hosted"):
        spaces.register(spaces.Host("elsewhere", *[lambda *a, **k: None] * 8))


def test_spaces_are_made_and_read_as_plain_values(cm):
    owner = UserFactory(username="ada")
    made = spaces.create(actor=cm, owner=owner, kind="photo", title="Ada's light")
    other = spaces.create(actor=cm, owner=UserFactory(username="bea"), kind="column", title="Bea writes")
    assert (made.title, made.owner_id, made.kind, made.state) == ("Ada's light", owner.pk, "photo", spaces.ACTIVE)
    assert made.url == "/contributors/adas-light/"
    spaces.read([made.id])  # (the site's root paths cached)
    with CaptureQueriesContext(connection) as queries:
        found = spaces.read([made.id, other.id, 999999])
    assert len(queries) == 1 and set(found) == {made.id, other.id}
    assert spaces.get(None) is None and spaces.read([]) == {}
    assert [ref.id for ref in spaces.held_by(owner)] == [made.id]
    assert spaces.pause(actor=cm, space_id=made.id).state == spaces.PAUSED
    assert spaces.get(made.id).is_paused


def test_only_a_cm_drives_the_spaces(member, cm):
    from django.core.exceptions import PermissionDenied

    made = spaces.create(actor=cm, owner=UserFactory(username="ada"), kind="column", title="Ada")
    for operation in (spaces.pause, spaces.retire, spaces.resume):
        with pytest.raises(PermissionDenied):
            operation(actor=member, space_id=made.id)
    with pytest.raises(PermissionDenied):
        spaces.create(actor=member, owner=member, kind="column", title="Mine")
    with pytest.raises(LookupError):
        spaces.pause(actor=cm, space_id=987654)
