"""The demo community (manage.py seed_demo): idempotent, bilingual, every role present.

The core seeds the members; each content app registers its own part in its ready()
(`register_seed(name, fn, order=…)`, fn(stdout=…)), run after the members in order. The core imports no
content app.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from . import markup
from .models import MemberSkill, Profile, Skill, SpamStatus, User
from .permissions import Role
from .services import set_up_member

DEMO_PASSWORD = "tribune-demo"

_seeds: dict[str, tuple[int, object]] = {}


def register_seed(name: str, fn, *, order: int = 100) -> None:
    """Add an app's part of the demo: fn(stdout=None) -> None, idempotent, run after the members."""
    _seeds[name] = (order, fn)


def run_seeds(*, stdout=None) -> list[User]:
    """The whole demo: the members, then every registered part in order."""
    users = seed_demo(stdout=stdout)
    for _name, (_order, fn) in sorted(_seeds.items(), key=lambda item: (item[1][0], item[0])):
        fn(stdout=stdout)
    return users

# username, display name, language, roles, location, bio
MEMBERS = [
    ("member", "Maya Lindqvist", "en", [], "Lyon",
     "Weekend cyclist, weekday data analyst. I ask a lot of questions in the forums "
     "and answer a few. Say hi to **@camille** for me!"),
    ("contributor", "Jules Fontaine", "fr", [Role.CONTRIBUTOR], "Bordeaux",
     "Je tiens la chronique *Atelier du samedi* : réparations, outils et bricolage "
     "pour tous les niveaux."),
    ("cm", "Sam Okafor", "en", [Role.COMMUNITY_MANAGER], "Dublin",
     "Community manager. Here to help, to listen, and to keep this place friendly. "
     "Ping me with @cm if something looks wrong."),
    ("admin", "Tribune Admin", "en", [Role.STAFF], "",
     "Staff account of the Tribune team."),
    ("camille", "Camille Roux", "fr", [], "Nantes",
     "Photographe amateure, je partage mes sorties du dimanche et mes réglages."),
    ("nadia", "Nadia Benali", "fr", [Role.CONTRIBUTOR], "Marseille",
     "Podcast *Les voix du quartier* : une invitée, une histoire, tous les quinze jours."),
    ("oliver", "Oliver Grant", "en", [], "Leeds",
     "Mechanical keyboards, espresso, and long threads about both."),
    ("lea", "Léa Martin", "fr", [Role.COMMUNITY_MANAGER], "Paris",
     "Community manager côté francophone. N'hésitez pas à me signaler un souci."),
    ("tomasz", "Tomasz Nowak", "en", [], "Kraków",
     "Home-lab tinkerer. Ask me about self-hosting and backups."),
    ("ines", "Inès Carvalho", "fr", [], "Lille",
     "Je cuisine, je teste, je note. Mes recettes sont dans le wiki (bientôt !)."),
    ("priya", "Priya Raman", "en", [Role.CONTRIBUTOR], "Bristol",
     "I run the *Pocket Studio* video channel: filming good things on a phone."),
    ("hugo", "Hugo Lefèvre", "fr", [], "Grenoble",
     "Randonnée, cartes et topos. Toujours partant pour une sortie."),
]

# Declared skills (community.skills); the second list is what a CM (`cm`) already verified.
SKILLS = {
    "member": ([Skill.WRITING, Skill.PHOTO, Skill.SOCIAL_MEDIA], []),
    "contributor": ([Skill.WRITING, Skill.BLOG, Skill.TRANSLATION], [Skill.WRITING, Skill.BLOG]),
    "camille": ([Skill.PHOTO, Skill.VIDEO], [Skill.PHOTO]),
    "nadia": ([Skill.PODCAST, Skill.EVENTS], [Skill.PODCAST]),
    "oliver": ([Skill.PODCAST, Skill.WRITING], []),
    "tomasz": ([Skill.WIKI, Skill.WRITING], []),
    "ines": ([Skill.WIKI, Skill.TRANSLATION, Skill.PHOTO], []),
    "priya": ([Skill.VIDEO, Skill.SOCIAL_MEDIA], [Skill.VIDEO]),
    "hugo": ([Skill.ILLUSTRATION, Skill.EVENTS], []),
}


def seed_skills(users) -> None:
    """The demo members' skills, some verified by `cm` (idempotent: a verification is kept)."""
    by_name = {user.username: user for user in users}
    verifier = by_name.get("cm")
    for username, (declared, verified) in SKILLS.items():
        user = by_name.get(username)
        if user is None:
            continue
        for skill in declared:
            item, _created = MemberSkill.objects.get_or_create(user=user, skill=skill)
            if skill in verified and item.verified_at is None and verifier is not None:
                item.verified_by, item.verified_at = verifier, timezone.now() - timedelta(days=30)
                item.save(update_fields=["verified_by", "verified_at"])


@transaction.atomic
def seed_demo(*, stdout=None) -> list[User]:
    password = make_password(DEMO_PASSWORD)  # hash once, reuse
    users = []
    for username, display_name, language, roles, location, bio in MEMBERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@tribune.example", "display_name": display_name,
                      "language": language, "password": password, "trust_level": 1,
                      "date_joined": timezone.now() - timedelta(days=120)},
        )
        if username == "admin" and not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        set_up_member(user=user)
        for role in roles:
            user.groups.add(Group.objects.get(name=role))
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        if created:
            Profile.objects.filter(user=user).update(
                bio=bio, bio_html=markup.render(bio).html, location=location, spam_status=SpamStatus.HAM,
            )
        users.append(user)
        if stdout is not None:
            stdout.write(f"  {'created' if created else 'kept'} {username}")
    seed_skills(users)
    return users
