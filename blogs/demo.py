"""The demo spaces: one of each kind, owned by demo members (the `contributor` login holds the
column), with posts in French and English, covers, an image and a gallery in the photo space, a
podcast episode (its audio file, duration, number and show notes), a video (a public address and
a poster), followers, and lively comment threads (blogs.demo_comments). One post of the column is
older than its space's N days: new comments on it wait for the owner, and one already does.

Created through the real services (`create_space` as a CM's casting, Wagtail revisions published
by their authors, `add_comment`…). Idempotent: skipped once a space exists. Pictures and sound are
made in code (blogs.demo_media)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from community.models import User

from . import demo_media as media
from .demo_comments import date_thread, write_thread
from .models import DEFAULT_MODERATE_AFTER_DAYS, Comment, SpacePage, SpacePostPage
from .services import create_space, set_follow

# A public, openly licensed video (Blender Foundation, CC BY 3.0) standing in for the channel's own.
DEMO_VIDEO_URL = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
EPISODE_SECONDS = 30


@dataclass
class Post:
    title: str
    excerpt: str
    paragraphs: list[str]
    days: int  # published this many days ago
    tags: list[str] = field(default_factory=list)
    drawing: str = ""  # a column post's cover: "wheel" or "tools"


@dataclass
class Space:
    owner: str
    kind: str
    title: str
    tagline: str
    colour: tuple[int, int, int]
    posts: list[Post]
    followers: list[str] = field(default_factory=list)
    # None: the model's default (DEFAULT_MODERATE_AFTER_DAYS); the other owners chose a week or two.
    moderate_after_days: int | None = None


SPACES = [
    Space("contributor", "column", "Atelier du samedi", "Réparations, outils et bricolage pour tous les niveaux.",
          (52, 101, 164), followers=["member", "hugo", "ines"], posts=[
              Post("Changer une chambre à air sans démonter la roue",
                   "La méthode express pour repartir en dix minutes.",
                   ["Tout commence par un bon diagnostic : trouvez le trou avant de sortir les démonte-pneus.",
                    "Gardez toujours une rustine autocollante dans la sacoche : elle sauve une sortie."], 1,
                   ["vélo", "réparation"], drawing="wheel"),
              Post("Five tools I would buy again", "What lasted ten years in my workshop, and what did not.",
                   ["A good pair of cable cutters beats any multitool.", "Buy the torque wrench before you need it."],
                   6, ["tools", "réparation"], drawing="tools"),
          ]),
    Space("camille", "photo", "Sorties du dimanche", "Lumières du matin, bords de Loire et réglages commentés.",
          (117, 80, 123), followers=["member", "lea", "oliver"], moderate_after_days=7, posts=[
              Post("Brume sur la Loire", "Cinq images à l'aube, ouverture f/8, trépied obligatoire.",
                   ["Le brouillard se lève vers huit heures : arrivez avant.", "Exposez pour les hautes lumières."],
                   2, ["photo", "Loire"]),
          ]),
    Space("nadia", "podcast", "Les voix du quartier", "Une invitée, une histoire, tous les quinze jours.",
          (78, 154, 6), followers=["ines", "hugo", "priya"], moderate_after_days=14, posts=[
              Post("Épisode 1 — La boulangère de la rue Longue",
                   "Trente ans de fournées et de conversations au comptoir.",
                   ["Dans ce premier épisode, Fatima raconte ses débuts."], 3, ["podcast", "quartier"]),
          ]),
    Space("oliver", "video", "Keyboard Fridays", "Builds, switches and the occasional espresso, on video.",
          (206, 92, 0), followers=["priya", "tomasz", "member"], moderate_after_days=7, posts=[
              Post("Lubing switches, the patient way", "Forty minutes, ninety switches, one quiet board.",
                   ["Start with the stems, not the springs.", "Use less lube than you think."], 4,
                   ["keyboards", "video"]),
          ]),
]

GALLERY = [
    ("Le pont de Mauves à 7 h", "Un pont à peine visible au-dessus d'une rivière dans la brume"),
    ("Premier rayon", "Le soleil levant entre deux collines, la rivière encore grise"),
    ("Le héron", "Une rive brumeuse où un héron attend, immobile"),
    ("Les saules", "Des collines sombres et une bande de brouillard au ras de l'eau"),
    ("Huit heures", "La brume se lève, le ciel devient doré"),
]


def _text(paragraphs) -> tuple:
    return ("text", "".join(f"<p>{p}</p>" for p in paragraphs))


def _body(space: Space, post: Post, collection) -> tuple[list, object]:
    """The post's body blocks and cover image, by the space's kind."""
    excerpt = ("callout", {"tone": "tip", "text": f"<p>{post.excerpt}</p>"})
    if space.kind == "photo":
        pictures = [media.save_image(media.landscape(n), title=title, name=f"loire-{n + 1}", collection=collection,
                                     photo=True)
                    for n, (title, _alt) in enumerate(GALLERY)]
        wide = media.save_image(media.landscape(5, size=(960, 400)), title="La Loire depuis la levée",
                                name="loire-panorama", collection=collection, photo=True)
        return [_text(post.paragraphs[:1]),
                ("image", {"image": wide, "caption": "La Loire depuis la levée, 7 h 05.",
                           "alt": "La Loire dans la brume du matin, entre deux collines"}),
                _text(post.paragraphs[1:]),
                ("gallery", {"title": "Cinq images à l'aube", "images": [
                    {"image": picture, "caption": title, "alt": alt}
                    for picture, (title, alt) in zip(pictures, GALLERY, strict=True)]})], pictures[2]
    if space.kind == "podcast":
        cover = media.save_image(media.microphone(), title=post.title, name="episode-1", collection=collection)
        sound = media.save_document(media.silent_mp3(EPISODE_SECONDS), title=post.title,
                                    name="les-voix-du-quartier-1.mp3", collection=collection)
        notes = ("<p>Fatima tient la boulangerie de la rue Longue depuis 1994.</p><ul>"
                 "<li>00:00 — Les premières fournées</li><li>00:12 — Le comptoir, lieu de conversations</li>"
                 "<li>00:24 — Ce qui a changé dans le quartier</li></ul>"
                 "<p>Musique de fin : le collectif Basilic.</p>")
        return [_text(post.paragraphs),
                ("audio", {"file": sound, "duration": f"0:{EPISODE_SECONDS:02d}", "episode": 1,
                           "show_notes": notes})], cover
    if space.kind == "video":
        cover = media.save_image(media.keyboard(), title=post.title, name="keyboard", collection=collection)
        poster = media.save_image(media.switches(), title=f"{post.title} (poster)", name="switches",
                                  collection=collection)
        return [_text(post.paragraphs[:1]),
                ("video", {"embed": DEMO_VIDEO_URL, "file": None, "poster": poster,
                           "caption": "Stand-in for this week's video: Big Buck Bunny (Blender Foundation, "
                                      "CC BY 3.0)."}),
                _text(post.paragraphs[1:]), excerpt], cover
    drawing = media.wheel() if post.drawing == "wheel" else media.tools()
    cover = media.save_image(drawing, title=post.title, name=f"atelier-{post.drawing}", collection=collection)
    return [_text(post.paragraphs), excerpt], cover


def _publish(space_page, space: Space, post: Post, owner, collection) -> SpacePostPage:
    body, cover = _body(space, post, collection)
    page = SpacePostPage(title=post.title, excerpt=post.excerpt, body=body, cover=cover, owner=owner,
                         date=(timezone.now() - timedelta(days=post.days)).date())
    space_page.add_child(instance=page)
    page.tags.add(*post.tags)
    page.save_revision(user=owner).publish(user=owner)
    return page


def _backdate(page: SpacePostPage, days: int) -> None:
    """Published `days` ago, as its date says (the comment policy counts from the first publication)."""
    when = timezone.now() - timedelta(days=days)
    SpacePostPage.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
    page.first_published_at = page.last_published_at = when


def seed_spaces(*, stdout=None) -> None:
    if SpacePage.objects.exists():
        return
    users = {user.username: user for user in User.objects.all()}
    cm = users.get("cm")
    if cm is None:
        return
    for space in SPACES:
        owner = users.get(space.owner)
        if owner is None:
            continue
        page = create_space(actor=cm, owner=owner, kind=space.kind, title=space.title, tagline=space.tagline)
        collection = media.collection_of(page)
        page.banner = media.save_image(media.banner(space.title, space.colour), title=space.title,
                                       name="demo-banner", collection=collection)
        page.moderate_after_days = space.moderate_after_days or DEFAULT_MODERATE_AFTER_DAYS
        page.save_revision(user=cm).publish(user=cm)
        for name in space.followers:
            if name in users:
                set_follow(actor=users[name], space=page, following=True)
        for post in space.posts:
            published = _publish(page, space, post, owner, collection)
            # Comments written while the post was fresh, then the post and them dated as it happened
            # (over the day after it); a late comment comes under today's policy.
            made = write_thread(published, users, late=False)
            _backdate(published, post.days)
            start = published.first_published_at + timedelta(hours=1)
            date_thread(made, start, min(start + timedelta(hours=20), timezone.now() - timedelta(minutes=30)))
            write_thread(published, users, late=True)
    if stdout:
        stdout.write(f"  contributor spaces: {SpacePage.objects.count()}, "
                     f"{Comment.objects.count()} comments")
