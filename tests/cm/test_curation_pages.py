"""/cm/curation/: community managers feature items and publish announcements; every rule refuses bad
input with the form again (400) — never a 500 — and every change is in the audit log."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cm.models import Announcement, Feature
from moderation.models import AuditLogEntry
from tests.cm.curation_fixtures import (  # noqa: F401
    add_post,
    announce,
    cm_client,
    feature,
    forum,
    make_space,
    topic,
)
from tests.factories import TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

FMT = "%Y-%m-%dT%H:%M"


def text(response):
    return response.content.decode()


def when(**delta):
    return (timezone.now() + timedelta(**delta)).strftime(FMT)


# --- Who may ---------------------------------------------------------------------------------------------

def curation_urls(feature_id, announcement_id):
    pages = [reverse("cm:curation"), reverse("cm:curation_feature_new"), reverse("cm:curation_announcement_new"),
             reverse("cm:curation_announcement_edit", args=[announcement_id])]
    actions = [reverse("cm:curation_feature_move", args=[feature_id]),
               reverse("cm:curation_feature_end", args=[feature_id]),
               reverse("cm:curation_feature_remove", args=[feature_id]),
               reverse("cm:curation_announcement_end", args=[announcement_id]),
               reverse("cm:curation_feature_new"), reverse("cm:curation_announcement_new")]
    return pages, actions


@pytest.mark.parametrize("role", ["member", "contributor"])
def test_members_and_contributors_get_403_on_every_curation_page_and_action(client, as_role, role, topic,  # noqa: F811
                                                                            feature, announce):  # noqa: F811
    made = feature("forums.topic", topic.pk)
    banner = announce()
    client.force_login(as_role(role))
    pages, actions = curation_urls(made.pk, banner.pk)

    for url in pages:
        assert client.get(url).status_code == 403, url
    for url in actions:
        assert client.post(url, {"direction": "up", "kind": "forums.topic", "item": topic.pk, "title": "x"}
                           ).status_code == 403, url
    assert Feature.objects.get().ends_at is None
    assert Announcement.objects.count() == 1


def test_a_visitor_is_asked_to_log_in(client, topic, feature, announce):  # noqa: F811
    pages, actions = curation_urls(feature("forums.topic", topic.pk).pk, announce().pk)

    for url in pages:
        assert client.get(url)["Location"].startswith("/accounts/login/")
    for url in actions:
        assert client.post(url)["Location"].startswith("/accounts/login/")


def test_a_banned_cm_may_not_curate(client, cm, topic):  # noqa: F811
    cm.banned_at = timezone.now()
    cm.save(update_fields=["banned_at"])
    from django.core.exceptions import PermissionDenied

    from cm.curation import services

    with pytest.raises(PermissionDenied):
        services.add_feature(actor=cm, kind="forums.topic", text=str(topic.pk))


@pytest.mark.parametrize("role", ["cm", "staff"])
def test_cms_and_staff_open_the_page(client, as_role, role):
    client.force_login(as_role(role))

    response = client.get(reverse("cm:curation"))

    assert response.status_code == 200
    assert "Home page curation" in text(response)
    assert "Nothing is featured now" in text(response)


# --- Featuring -------------------------------------------------------------------------------------------

def test_a_cm_features_a_topic_by_pasting_its_address(cm_client, cm, topic):  # noqa: F811
    response = cm_client.post(reverse("cm:curation_feature_new"), {
        "kind": "forums.topic", "item": "https://tribune.example" + topic.get_absolute_url(), "note": "Great thread"})

    assert response.status_code == 302
    made = Feature.objects.get()
    assert (made.kind, made.object_id, made.ends_at, made.note, made.created_by) == (
        "forums.topic", topic.pk, None, "Great thread", cm)
    entry = AuditLogEntry.objects.get(action="feature_add")
    assert (entry.actor, entry.kind, entry.object_id, entry.detail["title"]) == (cm, "forums.topic", topic.pk,
                                                                                   "Tubeless tyres")
    page = text(cm_client.get(reverse("cm:curation")))
    assert "Tubeless tyres" in page and "Great thread" in page
    assert "Feature on the home page" in text(cm_client.get(reverse("moderation:log")))


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"item": "/members/maya/"}, "item", "is not the address of an item of this kind (Forum topic)"),
    ({"item": "999999"}, "item", "No public item of this kind (Forum topic)"),
    ({"kind": "nope.page"}, "kind", "Select a valid choice"),
    ({"starts_at": when(days=2), "ends_at": when(days=1)}, "ends_at", "The end must come after the start."),
    ({"ends_at": when(days=-1)}, "ends_at", "already past"),
    ({"starts_at": "tomorrow"}, "starts_at", "Enter a valid date/time."),
    ({"item": ""}, "item", "This field is required."),
])
def test_bad_input_is_the_form_again_with_its_message(cm_client, topic, fields, field, message):  # noqa: F811
    data = {"kind": "forums.topic", "item": str(topic.pk), "note": "kept", **fields}

    response = cm_client.post(reverse("cm:curation_feature_new"), data)

    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert 'value="kept"' in text(response)  # nothing typed is lost
    assert not Feature.objects.exists()


def test_an_item_featured_twice_at_overlapping_dates_is_refused(cm_client, cm, topic, feature):  # noqa: F811
    feature("forums.topic", topic.pk, ends_at=timezone.now() + timedelta(days=3))
    other_cm = UserFactory(roles=["Community managers"])
    cm_client.force_login(other_cm)

    response = cm_client.post(reverse("cm:curation_feature_new"), {
        "kind": "forums.topic", "item": topic.get_absolute_url(), "starts_at": when(days=1)})

    assert response.status_code == 400
    assert "is already featured at those dates" in text(response)
    # After the first ends, it may be featured again.
    response = cm_client.post(reverse("cm:curation_feature_new"), {
        "kind": "forums.topic", "item": str(topic.pk), "starts_at": when(days=4)})
    assert response.status_code == 302
    assert Feature.objects.count() == 2


def test_a_double_submit_features_once(cm_client, topic):  # noqa: F811
    data = {"kind": "forums.topic", "item": str(topic.pk)}

    first = cm_client.post(reverse("cm:curation_feature_new"), data)
    second = cm_client.post(reverse("cm:curation_feature_new"), data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert Feature.objects.count() == 1
    assert AuditLogEntry.objects.filter(action="feature_add").count() == 1


def test_features_are_ordered_and_moved_up_and_down(cm_client, cm, forum, member, feature):  # noqa: F811
    topics = [TopicFactory(forum=forum, author=member, title=f"Topic {n}") for n in range(3)]
    made = [feature("forums.topic", t.pk) for t in topics]

    def order():
        return list(Feature.objects.order_by("position", "pk").values_list("object_id", flat=True))

    assert order() == [t.pk for t in topics]
    cm_client.post(reverse("cm:curation_feature_move", args=[made[2].pk]), {"direction": "up"})
    assert order() == [topics[0].pk, topics[2].pk, topics[1].pk]
    cm_client.post(reverse("cm:curation_feature_move", args=[made[0].pk]), {"direction": "down"})
    assert order() == [topics[2].pk, topics[0].pk, topics[1].pk]
    cm_client.post(reverse("cm:curation_feature_move", args=[made[2].pk]), {"direction": "up"})  # already first
    assert order() == [topics[2].pk, topics[0].pk, topics[1].pk]
    page = text(cm_client.get(reverse("cm:curation")))
    assert page.index("Topic 2") < page.index("Topic 0") < page.index("Topic 1")
    assert AuditLogEntry.objects.filter(action="feature_move").count() == 2
    assert cm_client.post(reverse("cm:curation_feature_move", args=[made[0].pk]),
                          {"direction": "sideways"}).status_code == 400
    assert cm_client.post(reverse("cm:curation_feature_move", args=[999999]), {"direction": "up"}).status_code == 404


def test_end_now_and_remove(cm_client, topic, feature):  # noqa: F811
    current = feature("forums.topic", topic.pk)
    scheduled = feature("forums.topic", TopicFactory(forum=topic.forum).pk, starts_at=timezone.now() + timedelta(days=2))

    cm_client.post(reverse("cm:curation_feature_end", args=[current.pk]))
    cm_client.post(reverse("cm:curation_feature_end", args=[current.pk]))  # twice: one end
    cm_client.post(reverse("cm:curation_feature_end", args=[scheduled.pk]))

    current.refresh_from_db()
    scheduled.refresh_from_db()
    assert current.state() == "ended" and scheduled.state() == "ended"
    assert AuditLogEntry.objects.filter(action="feature_end").count() == 2
    assert "Recently ended" in text(cm_client.get(reverse("cm:curation")))

    cm_client.post(reverse("cm:curation_feature_remove", args=[current.pk]))
    assert not Feature.objects.filter(pk=current.pk).exists()
    assert AuditLogEntry.objects.filter(action="feature_remove", object_id=topic.pk).count() == 1
    assert cm_client.post(reverse("cm:curation_feature_remove", args=[current.pk])).status_code == 404


def test_the_page_flags_an_item_that_is_no_longer_public(cm_client, topic, feature, member):  # noqa: F811
    from forums.services import delete_post

    feature("forums.topic", topic.pk)
    delete_post(actor=member, post=topic.first_post)

    page = text(cm_client.get(reverse("cm:curation")))

    assert "Not shown: unavailable" in page
    assert f"Forum topic #{topic.pk} (deleted, offline or private)" in page


# --- Announcements ---------------------------------------------------------------------------------------

def test_a_cm_publishes_changes_and_ends_an_announcement(cm_client, cm):  # noqa: F811
    response = cm_client.post(reverse("cm:curation_announcement_new"), {
        "title": "Photo challenge", "body": "Share your **best** shot.", "link_url": "https://example.com/x",
        "kind": "community"})
    assert response.status_code == 302
    made = Announcement.objects.get()
    assert made.body_html == "<p>Share your <strong>best</strong> shot.</p>\n"
    assert made.created_by == cm

    response = cm_client.post(reverse("cm:curation_announcement_edit", args=[made.pk]), {
        "title": "Photo challenge, week 2", "kind": "partner", "sponsor_name": "Lumen Cameras"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.title, made.kind, made.sponsor_name, made.body) == (
        "Photo challenge, week 2", "partner", "Lumen Cameras", "")

    cm_client.post(reverse("cm:curation_announcement_end", args=[made.pk]))
    made.refresh_from_db()
    assert made.state() == "ended"
    assert list(AuditLogEntry.objects.filter(kind="cm.announcement").order_by("pk").values_list("action", flat=True)) \
        == ["announcement_add", "announcement_change", "announcement_end"]


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"kind": "sponsored", "sponsor_name": ""}, "sponsor_name", "Name the partner or the sponsor"),
    ({"kind": "partner", "sponsor_name": "\u200b "}, "sponsor_name", "Name the partner or the sponsor"),
    ({"title": "\u200b"}, "title", "Give the announcement a title."),
    ({"link_url": "javascript:alert(1)"}, "link_url", "Enter a valid URL."),
    ({"link_url": "ftp://example.com/"}, "link_url", "Enter a valid URL."),
    ({"kind": "advert"}, "kind", "Select a valid choice"),
    ({"starts_at": when(days=3), "ends_at": when(days=2)}, "ends_at", "The end must come after the start."),
    ({"body": "x" * 1001}, "body", "at most 1000 characters"),
])
def test_a_bad_announcement_is_the_form_again(cm_client, fields, field, message):  # noqa: F811
    data = {"title": "Spring sale", "body": "Kept text", "kind": "community", **fields}

    response = cm_client.post(reverse("cm:curation_announcement_new"), data)

    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field]), response.context["form"].errors
    assert not Announcement.objects.exists()


def test_a_double_submitted_announcement_is_published_once(cm_client):  # noqa: F811
    data = {"title": "Photo challenge", "body": "Share it.", "kind": "community"}

    cm_client.post(reverse("cm:curation_announcement_new"), data)
    cm_client.post(reverse("cm:curation_announcement_new"), data)

    assert Announcement.objects.count() == 1


def test_an_unknown_announcement_is_a_404(cm_client):  # noqa: F811
    assert cm_client.get(reverse("cm:curation_announcement_edit", args=[999])).status_code == 404
    assert cm_client.post(reverse("cm:curation_announcement_end", args=[999])).status_code == 404


def test_the_page_shows_what_visitors_see_now(cm_client, topic, feature, announce, forum, member):  # noqa: F811
    from forums.models import Access
    from tests.factories import ForumFactory

    feature("forums.topic", topic.pk)
    corner = ForumFactory()
    members_topic = TopicFactory(forum=corner, author=member, title="Members' corner")
    feature("forums.topic", members_topic.pk)
    type(corner).objects.filter(pk=corner.pk).update(access=Access.MEMBERS, read_level=Access.MEMBERS)  # since
    announce("Spring sale", kind="sponsored", sponsor_name="Atelier Rayon")
    announce("Next week", starts_at=timezone.now() + timedelta(days=7))

    response = cm_client.get(reverse("cm:curation"))
    page = text(response)

    now = page[page.index("On the home page now"):page.index("Featured items")]
    assert "Tubeless tyres" in now and "Members&#x27; corner" not in now
    assert "Spring sale" in now and "Sponsored</strong> · Atelier Rayon" in now
    assert "Next week" not in now
    assert "Not shown to visitors" in page and "Scheduled" in page


def test_an_ended_announcement_can_be_corrected_without_moving_its_end(cm_client, announce):  # noqa: F811
    made = announce("Typo in the titel", starts_at=timezone.now() - timedelta(days=3),
                    ends_at=timezone.now() + timedelta(minutes=5))
    Announcement.objects.filter(pk=made.pk).update(ends_at=timezone.now() - timedelta(days=1, seconds=17))
    made.refresh_from_db()
    form = cm_client.get(reverse("cm:curation_announcement_edit", args=[made.pk])).context["form"]

    response = cm_client.post(reverse("cm:curation_announcement_edit", args=[made.pk]), {
        "title": "No typo in the title", "kind": "community",
        "starts_at": form["starts_at"].value().strftime(FMT), "ends_at": form["ends_at"].value().strftime(FMT)})

    assert response.status_code == 302
    made.refresh_from_db()
    assert made.title == "No typo in the title" and made.state() == "ended"


def test_every_change_bumps_the_home_pages_cache_generation(cm, topic, django_capture_on_commit_callbacks):  # noqa: F811
    from cm.curation import services
    from community import pagecache

    before = pagecache.generations([services.HOME_GENERATION])
    with django_capture_on_commit_callbacks(execute=True):
        made = services.add_feature(actor=cm, kind="forums.topic", text=str(topic.pk))
    middle = pagecache.generations([services.HOME_GENERATION])
    with django_capture_on_commit_callbacks(execute=True):
        services.end_feature(actor=cm, feature=made)

    assert before != middle != pagecache.generations([services.HOME_GENERATION])


def test_an_announcement_link_may_be_typed_without_its_scheme(cm_client):  # noqa: F811
    """The field is a text input (the browser's type="url" would refuse it before the server adds https://)."""
    form_page = cm_client.get(reverse("cm:curation_announcement_new")).content.decode()
    assert 'name="link_url"' in form_page and 'type="url"' not in form_page

    response = cm_client.post(reverse("cm:curation_announcement_new"), {
        "title": "Meetup", "link_url": "example.org/meetup", "kind": "community"})

    assert response.status_code == 302
    assert Announcement.objects.get().link_url == "https://example.org/meetup"


def test_a_current_announcement_past_the_banners_shown_at_once_is_marked_waiting(cm_client, announce):  # noqa: F811
    now = timezone.now()
    announce(title="Oldest news", starts_at=now - timedelta(days=4), kind="sponsored",
                      sponsor_name="Atelier Rayon")
    for days in (3, 2, 1):
        announce(title=f"News {days}", starts_at=now - timedelta(days=days))

    page = cm_client.get(reverse("cm:curation")).content.decode()

    row = page[page.index("Oldest news"):]
    row = row[:row.index("</tr>")]
    assert "Waiting: the home page shows 3 banners at once" in row
    assert page.count("Waiting: the home page shows") == 1
    assert "Oldest news" not in cm_client.get("/").content.decode()
