"""The demo spaces: one of each kind, owned by demo members (the `contributor` login holds the
column), with posts in French and English and pictures drawn by Pillow. Idempotent: skipped once a
space exists. Created through `create_space`, as a CM's casting will."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image, ImageDraw
from wagtail.images import get_image_model

from community.models import User

from .models import SpacePage, SpacePostPage
from .services import create_space

# owner, kind, title, tagline, [(title, excerpt, paragraphs, days ago)]
SPACES = [
    ("contributor", "column", "Atelier du samedi", "Réparations, outils et bricolage pour tous les niveaux.", [
        ("Changer une chambre à air sans démonter la roue",
         "La méthode express pour repartir en dix minutes.",
         ["Tout commence par un bon diagnostic : trouvez le trou avant de sortir les démonte-pneus.",
          "Gardez toujours une rustine autocollante dans la sacoche : elle sauve une sortie."], 1),
        ("Five tools I would buy again",
         "What lasted ten years in my workshop, and what did not.",
         ["A good pair of cable cutters beats any multitool.", "Buy the torque wrench before you need it."], 6),
    ]),
    ("camille", "photo", "Sorties du dimanche", "Lumières du matin, bords de Loire et réglages commentés.", [
        ("Brume sur la Loire", "Cinq images à l'aube, ouverture f/8, trépied obligatoire.",
         ["Le brouillard se lève vers huit heures : arrivez avant.", "Exposez pour les hautes lumières."], 2),
    ]),
    ("nadia", "podcast", "Les voix du quartier", "Une invitée, une histoire, tous les quinze jours.", [
        ("Épisode 1 — La boulangère de la rue Longue",
         "Trente ans de fournées et de conversations au comptoir.",
         ["Dans ce premier épisode, Fatima raconte ses débuts.", "Notes : musique de fin par le collectif Basilic."], 3),
    ]),
    ("oliver", "video", "Keyboard Fridays", "Builds, switches and the occasional espresso, on video.", [
        ("Lubing switches, the patient way", "Forty minutes, ninety switches, one quiet board.",
         ["Start with the stems, not the springs.", "Use less lube than you think."], 4),
    ]),
]


def _picture(title: str, colour: tuple[int, int, int]):
    """A banner drawn by Pillow (no file shipped with the demo), as a Wagtail image."""
    canvas = Image.new("RGB", (960, 320), colour)
    ImageDraw.Draw(canvas).text((32, 140), title, fill=(255, 255, 255))
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="demo-banner.png"))


COLOURS = [(52, 101, 164), (117, 80, 123), (78, 154, 6), (206, 92, 0)]


def seed_spaces(*, stdout=None) -> None:
    if SpacePage.objects.exists():
        return
    cm = User.objects.filter(username="cm").first()
    if cm is None:
        return
    for (username, kind, title, tagline, posts), colour in zip(SPACES, COLOURS, strict=True):
        owner = User.objects.filter(username=username).first()
        if owner is None:
            continue
        space = create_space(actor=cm, owner=owner, kind=kind, title=title, tagline=tagline)
        space.banner = _picture(title, colour)
        space.save_revision(user=cm).publish(user=cm)
        for post_title, excerpt, paragraphs, days in posts:
            body = [("text", "".join(f"<p>{p}</p>" for p in paragraphs)),
                    ("callout", {"tone": "tip", "text": f"<p>{excerpt}</p>"})]
            post = SpacePostPage(title=post_title, excerpt=excerpt, body=body, owner=owner,
                                 date=(timezone.now() - timedelta(days=days)).date())
            space.add_child(instance=post)
            post.save_revision(user=owner).publish(user=owner)
    if stdout:
        stdout.write(f"  contributor spaces: {SpacePage.objects.count()}")
