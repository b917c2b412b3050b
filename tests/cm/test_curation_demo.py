"""The demo (manage.py seed_demo) puts a featured piece and the CMs' announcements on the home page —
the sponsored one labelled — and seeding twice adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from cm.models import Announcement, Feature

pytestmark = pytest.mark.django_db


def test_the_demo_home_page_has_featured_items_and_labelled_announcements(client):
    call_command("seed_demo", stdout=StringIO())
    features, announcements = Feature.objects.count(), Announcement.objects.count()
    call_command("seed_demo", stdout=StringIO())

    assert (Feature.objects.count(), Announcement.objects.count()) == (features, announcements)
    assert set(Feature.objects.values_list("kind", flat=True)) == {"blogs.post", "forums.topic", "blogs.space"}
    page = client.get("/").content.decode()
    featured = page[page.index('id="curated-title"'):]
    assert featured.count('class="featured-item"') == 3
    assert "Photo challenge" in page
    assert "<strong>Sponsored</strong> · Atelier Rayon" in page
    client.login(username="member", password="tribune-demo")
    assert "<strong>Sponsored</strong> · Atelier Rayon" in client.get("/").content.decode()
