"""The curation area's part of the demo (order 80: after the forums and the spaces): a featured
piece and a featured space on the home page, the community's announcement and a sponsored one,
labelled. Idempotent: what is there already is left alone."""

from datetime import timedelta

from django.utils import timezone

from community import featuring
from community.models import User

from ..models import Announcement, AnnouncementKind, Feature
from .services import add_feature, save_announcement

ANNOUNCEMENTS = [
    {"title": "Photo challenge: “Light at the end of the day”",
     "body": "Share your best evening shot in the forums before the end of the month. "
             "The **three favourites** will be featured here.",
     "kind": AnnouncementKind.COMMUNITY, "sponsor_name": ""},
    {"title": "Spring tune-up week at Atelier Rayon",
     "body": "Members get 20 % off a full service this week, in every Atelier Rayon workshop.",
     "link_url": "https://atelier-rayon.example/tribune", "kind": AnnouncementKind.SPONSORED,
     "sponsor_name": "Atelier Rayon"},
]


def seed_curation(*, stdout=None) -> None:
    cm = User.objects.filter(username="cm").first()
    if cm is None:
        return
    if not Feature.objects.exists():
        for kind in ("blogs.post", "forums.topic", "blogs.space"):
            if not featuring.is_registered(kind):
                continue
            ids = featuring.latest(kind, 1)
            if ids:
                add_feature(actor=cm, kind=kind, text=str(ids[0]), note="Demo: featured by the community manager.",
                            starts_at=timezone.now() - timedelta(hours=1))
    if not Announcement.objects.exists():
        for index, fields in enumerate(ANNOUNCEMENTS):
            save_announcement(actor=cm, starts_at=timezone.now() - timedelta(hours=2 + index),
                              ends_at=timezone.now() + timedelta(days=30), **fields)
    if stdout:
        stdout.write(f"  home page: {Feature.objects.count()} featured items, "
                     f"{Announcement.objects.count()} announcements")
