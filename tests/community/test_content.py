"""community.content: the protocol through which moderation, notifications and search see any
kind of member content."""

import pytest

from community import content
from community.content import ContentKind, fetch_mixed, get_kind, kind_for
from community.models import Event, Profile, Visibility

pytestmark = pytest.mark.django_db


def profile_of(user, bio="Weekend cyclist."):
    profile = Profile.objects.get(user=user)
    profile.bio = bio
    profile.save()
    return profile


def test_profiles_are_registered_as_a_content_kind(member):
    kind = get_kind("community.profile")

    assert kind.model is Profile
    assert kind_for(Profile) is kind
    assert kind_for(profile_of(member)) is kind
    assert kind in content.kinds()
    assert str(kind.label) == "Profile"


def test_the_kind_gives_a_profiles_author_text_url_and_status(member):
    profile = profile_of(member)
    kind = kind_for(profile)

    assert kind.author(profile) == member
    assert kind.author_id(profile) == member.pk
    assert kind.text(profile) == "Weekend cyclist."
    assert kind.url(profile) == "/members/maya/"
    assert kind.status(profile) == Visibility.PUBLISHED
    assert kind.spam_status(profile) == "pending"


def test_hiding_content_changes_its_status_once(member):
    profile = profile_of(member)
    kind = kind_for(profile)

    assert kind.hide(profile) is True
    assert profile.status == Visibility.HIDDEN
    assert Profile.objects.get(pk=profile.pk).status == Visibility.HIDDEN
    assert kind.hide(profile) is False


def test_restoring_hidden_content_publishes_it_again(member):
    profile = profile_of(member)
    kind = kind_for(profile)
    kind.hide(profile)

    assert kind.restore(profile) is True

    assert Profile.objects.get(pk=profile.pk).status == Visibility.PUBLISHED
    assert kind.restore(profile) is False


def test_removing_content_is_distinct_from_hiding_it(member):
    profile = profile_of(member)

    assert kind_for(profile).remove(profile) is True

    assert Profile.objects.get(pk=profile.pk).status == Visibility.REMOVED


def test_hiding_content_that_was_deleted_meanwhile_does_nothing(member):
    profile = profile_of(member)
    Profile.objects.filter(pk=profile.pk).delete()

    assert kind_for(Profile).hide(profile) is False


def test_the_visibility_hook_sees_the_old_and_new_status_of_each_real_change(member):
    calls = []
    kind = ContentKind(model=Profile, name="test.profile", label="Profile", author_field="user",
                       text_field="bio", on_visibility_change=lambda obj, old, new: calls.append((obj, old, new)))
    profile = profile_of(member)

    kind.hide(profile)
    kind.hide(profile)  # no change: no call
    kind.restore(profile)

    assert calls == [(profile, Visibility.PUBLISHED, Visibility.HIDDEN),
                     (profile, Visibility.HIDDEN, Visibility.PUBLISHED)]


def test_a_failing_visibility_hook_leaves_the_status_unchanged(member):
    def broken_counter(obj, old, new):
        raise RuntimeError("counter update failed")

    kind = ContentKind(model=Profile, name="test.profile", label="Profile", author_field="user",
                       text_field="bio", on_visibility_change=broken_counter)
    profile = profile_of(member)

    with pytest.raises(RuntimeError):
        kind.hide(profile)

    assert Profile.objects.get(pk=profile.pk).status == Visibility.PUBLISHED


def test_a_model_that_is_not_content_has_no_kind(member):
    with pytest.raises(LookupError, match="Event is not a registered content kind"):
        kind_for(Event)
    with pytest.raises(LookupError):
        kind_for(member)


def test_registering_a_kind_name_for_another_model_is_refused():
    with pytest.raises(ValueError, match="already registered"):
        content.register(Event, name="community.profile", label="Oops")


def test_a_mixed_list_is_loaded_with_one_query_per_kind(
    member, cm, monkeypatch, django_assert_num_queries
):
    monkeypatch.setitem(content._registry, "test.event", ContentKind(
        model=Event, name="test.event", label="Event", author_field="actor", text_field="kind",
        list_related=("actor",),
    ))
    first, second = profile_of(member), profile_of(cm, bio="Here to help.")
    event = Event.objects.create(kind="test.thing", actor=cm)

    with django_assert_num_queries(2):
        found = fetch_mixed([("community.profile", first.pk), ("test.event", event.pk),
                             ("community.profile", second.pk), ("community.profile", 999999)])
        # What a mixed list shows comes with the rows (list_related): no query per row.
        authors = [kind_for(found[("community.profile", pk)]).author(found[("community.profile", pk)]).username
                   for pk in (first.pk, second.pk)]
        assert found[("test.event", event.pk)].actor.username == "sam"

    assert authors == ["maya", "sam"]
    assert set(found) == {("community.profile", first.pk), ("community.profile", second.pk),
                          ("test.event", event.pk)}
