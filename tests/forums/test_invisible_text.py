"""Text that does not read as it is: direction overrides and invisible characters, in every field
where member text is written (found by an outside probe after the first pass on names and titles)."""

import pytest
from django.urls import reverse

from community.models import Profile
from forums.models import Post

pytestmark = pytest.mark.django_db

INVISIBLE_ONLY = ["\u200b\u200b\u200b", "\u2800\u2800\u2800\u2800", "\u202e", "\ufeff \u2060"]


@pytest.mark.parametrize("body", INVISIBLE_ONLY)
def test_a_reply_of_invisible_characters_only_is_refused_and_kept(client, member, topic, body):
    client.force_login(member)
    before = Post.objects.count()
    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": body})
    assert response.status_code == 400
    assert "Write something first." in response.content.decode()
    assert Post.objects.count() == before


def test_direction_overrides_leave_posts_and_bios(client, member, topic):
    client.force_login(member)
    client.post(reverse("forums:reply", args=[topic.pk]), {"body": "hi \u202eevil\u202c and \u2067isolated\u2069"})
    post = Post.objects.filter(topic=topic, author=member).get()
    assert post.body == "hi evil and isolated"
    client.post(reverse("community:profile_edit"), {"display_name": "", "language": "", "bio": "hi\u202eevil",
                                                    "website": "", "location": ""})
    assert Profile.objects.get(user=member).bio == "hievil"


@pytest.mark.parametrize("website", ["http://\u202eexample.com", "https://ex\u200bample.com",
                                     "https://example.com/\u00a0x"])
def test_a_website_that_does_not_read_as_it_leads_is_refused(client, member, website):
    client.force_login(member)
    response = client.post(reverse("community:profile_edit"), {"display_name": "", "language": "", "bio": "",
                                                               "website": website, "location": ""})
    assert response.status_code == 400
    assert (Profile.objects.filter(user=member).values_list("website", flat=True).first() or "") == ""
