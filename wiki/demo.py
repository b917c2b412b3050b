"""The demo wiki (manage.py seed_demo): a small bilingual wiki written through the services — a home
page, a guide tree in English and French, a page with several revisions by different members
(one of them minor), a red link, a page protected for community managers, and `member` watching
the guides. Idempotent: skipped once the wiki has a page."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from community.demo import register_seed
from community.models import User

from .models import Page, Revision, Watch
from .services import protection
from .services.editing import create_page, save_revision

HOME = """Welcome to the **Tribune wiki**: guides and reference pages written together by the community.
Bienvenue sur le **wiki de Tribune** : des guides et des pages de référence écrits ensemble.

## Start here · Commencer ici

- [[guides/|Guides]]: how the community works, in English and in French.
- [[community-rules/|Community rules · Règles de la communauté]]
- [[guides/faq|FAQ]] — not written yet: be the first! · pas encore écrite : lancez-vous !
"""

GUIDES = """Guides for newcomers and regulars. · Des guides pour les nouveaux et les habitués.

- [[guides/getting-started|Getting started]] · [[guides/premiers-pas|Premiers pas]]
- [[guides/writing-good-posts|Writing good posts]] · [[guides/bien-ecrire|Bien écrire]]
"""

GETTING_STARTED = [
    # author, summary, minor, body
    ("member", "First draft", False, """Welcome! A few steps to feel at home.

## Your profile
Add a picture and a few words about yourself.
"""),
    ("contributor", "Forums and notifications", False, """Welcome! A few steps to feel at home.

## Your profile
Add a picture and a few words about yourself.

## The forums
Say hello in *Introductions*, then ask anything in *Questions & answers*.

## Notifications
The bell shows replies and mentions; choose email or digest in your settings.
"""),
    ("cm", "Typo", True, """Welcome! A few steps to feel at home.

## Your profile
Add a picture and a few words about yourself.

## The forums
Say hello in *Introductions*, then ask anything in *Questions & answers*.

## Notifications
The bell shows replies and mentions; choose email or a daily digest in your settings.
"""),
    ("member", "Link to the rules", False, """Welcome! A few steps to feel at home.

## Your profile
Add a picture and a few words about yourself.

## The forums
Say hello in *Introductions*, then ask anything in *Questions & answers*.

## Notifications
The bell shows replies and mentions; choose email or a daily digest in your settings.

## Be kind
Read the [[community-rules/|community rules]] once: they are short.
"""),
]

PAGES = [
    # parent path, title, author, body
    ("guides/", "Premiers pas", "contributor", """Bienvenue ! Quelques étapes pour vous sentir chez vous.

## Votre profil
Ajoutez une photo et quelques mots sur vous.

## Les forums
Présentez-vous dans *Présentations*, puis posez vos questions dans l'entraide.
"""),
    ("guides/", "Writing good posts", "member", """## A clear title
Say what your post is about in the title: *"How do I back up a home server?"*, not *"Help"*.

## One idea per paragraph
Short paragraphs are easier to read on a phone.
"""),
    ("guides/", "Bien écrire", "contributor", """## Un titre clair
Dites de quoi parle votre message dès le titre.

## Une idée par paragraphe
Les paragraphes courts se lisent mieux sur un téléphone.
"""),
]

RULES = """Tribune is a friendly place. · Tribune est un lieu bienveillant.

1. Be kind; disagree with ideas, never with people. · Soyez bienveillants : on critique les idées, jamais les personnes.
2. No spam, no advertising without a sponsor's label. · Pas de spam ni de publicité non signalée.
3. Report rather than reply to what crosses the line. · Signalez plutôt que de répondre à ce qui dépasse les bornes.

Only community managers may edit this page. · Seuls les community managers peuvent modifier cette page.
"""


@transaction.atomic
def seed_wiki(*, stdout=None) -> None:
    if Page.objects.exists():
        if stdout is not None:
            stdout.write("  wiki already seeded")
        return
    users = {user.username: user for user in User.objects.filter(username__in=["member", "contributor", "cm"])}
    if len(users) < 3:
        return
    cm = users["cm"]
    root = create_page(actor=cm, parent=None, title="Home", body=HOME, summary="Welcome page").page
    guides = create_page(actor=cm, parent=root, title="Guides", body=GUIDES).page
    author, summary, minor, body = GETTING_STARTED[0]
    started = create_page(actor=users[author], parent=guides, title="Getting started", body=body,
                          summary=summary, minor=minor).page
    for number, (author, summary, minor, body) in enumerate(GETTING_STARTED[1:], start=1):
        save_revision(actor=users[author], page=started, body=body, base=number, summary=summary, minor=minor)
    for parent_path, title, author, body in PAGES:
        create_page(actor=users[author], parent=Page.objects.get(path=parent_path), title=title, body=body)
    rules = create_page(actor=cm, parent=root, title="Community rules · Règles de la communauté", body=RULES,
                        slug="community-rules").page
    # Protected for community managers, through the protection service (logged like any protection).
    protection.protect(actor=cm, page=rules, edit_level=3, read_level=0,
                       reason="Rules change only after a discussion.")
    Watch.objects.update_or_create(user=users["member"], page=guides, defaults={"subtree": True})
    _spread_over_days()
    if stdout is not None:
        stdout.write(f"  wiki: {Page.objects.count()} pages, {Revision.objects.count()} revisions")


def _spread_over_days() -> None:
    """Date the revisions over the last days, in the order they were saved (a believable history)."""
    now = timezone.now()
    revisions = list(Revision.objects.order_by("pk").values_list("pk", "page_id"))
    start = now - timedelta(hours=6 * len(revisions))
    last = {}
    for index, (pk, page_id) in enumerate(revisions):
        when = start + timedelta(hours=6 * index)
        Revision.objects.filter(pk=pk).update(created_at=when)
        last[page_id] = when
    for page_id, when in last.items():
        first = Revision.objects.filter(page_id=page_id).order_by("number").values_list("created_at", flat=True)[0]
        Page.objects.filter(pk=page_id).update(created_at=first, updated_at=when)


register_seed("wiki", seed_wiki, order=40)
