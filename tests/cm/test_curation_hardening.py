# ruff: noqa: F811  (fixtures imported by name from tests.cm.curation_fixtures)
"""What a hostile tester tried on curation: ids too big for the database, an item only CMs may read,
the same item featured again with other values, an image in an announcement."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cm.models import Feature
from community import featuring
from forums.models import Access
from tests.cm.curation_fixtures import announce, cm_client, forum, topic  # noqa: F401  (fixtures)
from tests.factories import ForumFactory, TopicFactory

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999999"
FMT = "%Y-%m-%dT%H:%M"


def text(response):
    return response.content.decode()


@pytest.mark.parametrize(("kind", "written"), [
    ("forums.topic", f"/forums/t/{HUGE}-x/"), ("forums.topic", f"https://tribune.example/forums/t/{HUGE}/unread/"),
    ("forums.topic", f"/forums/p/{HUGE}/"), ("forums.topic", str(2**63)), ("forums.topic", "0"),
    ("blogs.space", f"/cms/pages/{HUGE}/edit/"), ("blogs.space", HUGE),
    ("blogs.post", f"/cms/pages/{HUGE}/edit/"), ("blogs.post", HUGE), ("blogs.post", f"/cms/pages/{2**63}/edit/"),
])
def test_an_id_no_row_can_have_names_nothing(topic, kind, written):
    assert featuring.lookup(kind, written) is None


def test_the_largest_id_a_row_can_have_is_still_looked_up(topic):
    assert featuring.as_id(str(2**63 - 1)) == 2**63 - 1
    assert featuring.lookup("forums.topic", f"/forums/t/{2**63 - 1}-x/") == 2**63 - 1  # then "not found"


def test_featuring_a_huge_topic_address_is_the_form_again(cm_client, topic):
    response = cm_client.post(reverse("cm:curation_feature_new"),
                              {"kind": "forums.topic", "item": f"/forums/t/{HUGE}-x/"})

    assert response.status_code == 400
    assert "is not the address of an item of this kind" in text(response)
    assert not Feature.objects.exists()


@pytest.mark.parametrize("access", [Access.MEMBERS, Access.COMMUNITY_MANAGERS])
def test_an_item_visitors_may_not_read_cannot_be_featured(cm_client, cm, access):
    hidden = TopicFactory(forum=ForumFactory(access=access), author=cm, title="Staff corner")

    response = cm_client.post(reverse("cm:curation_feature_new"), {"kind": "forums.topic", "item": str(hidden.pk)})

    assert response.status_code == 400
    assert "is not public: visitors may not read it" in text(response)
    assert not Feature.objects.exists()


def test_featuring_again_with_another_start_or_note_says_it_is_already_featured(cm_client, topic):
    url = reverse("cm:curation_feature_new")
    first = cm_client.post(url, {"kind": "forums.topic", "item": str(topic.pk), "note": "first"}, follow=True)
    assert "Featured." in text(first)

    again = cm_client.post(url, {"kind": "forums.topic", "item": str(topic.pk), "note": "second"})
    later = cm_client.post(url, {"kind": "forums.topic", "item": str(topic.pk), "note": "first",
                                 "starts_at": (timezone.now() + timedelta(days=2)).strftime(FMT)})

    assert (again.status_code, later.status_code) == (400, 400)
    assert "is already featured at those dates" in text(again) and "is already featured" in text(later)
    assert "Featured." not in text(again)
    kept = Feature.objects.get()
    assert kept.note == "first" and kept.starts_at <= timezone.now()
    # The very same form sent twice still gives one feature, silently.
    assert cm_client.post(url, {"kind": "forums.topic", "item": str(topic.pk), "note": "first"}).status_code == 302
    assert Feature.objects.count() == 1


def test_an_announcement_shows_no_image_but_keeps_its_text_and_links(client, announce):
    made = announce("Photo challenge", body="Join us ![i](https://tracker.example/p.gif) **now**: "
                                            "[rules](https://tribune.example/rules/)")

    assert "<img" not in made.body_html and "tracker.example" not in made.body_html
    page = text(client.get("/"))
    assert "tracker.example" not in page
    assert "<strong>now</strong>" in page and 'href="https://tribune.example/rules/"' in page
