"""The demo forums: bilingual categories, living threads, likes, a Q&A forum with an accepted
answer, and a private forum for community managers. Idempotent: skipped once forums exist."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from community.models import User

from . import services
from .models import Access, Forum, Post, Reaction, Topic

TREE = [
    ("Communauté · Community", "", [
        ("Présentations", "Nouveau ? Présentez-vous ici.", {}),
        ("Introductions", "New here? Say hello.", {}),
        ("Café du coin", "Discussions libres, dans le respect de chacun.", {}),
    ]),
    ("Entraide · Help", "", [
        ("Questions & answers", "Ask; the best answer gets accepted.", {"is_questions": True}),
        ("Bricolage et réparations", "Outils, astuces et dépannages.", {}),
    ]),
    ("Coulisses · Backstage", "", [
        ("Contributors' lounge", "For featured contributors.", {"access": Access.CONTRIBUTORS}),
        ("Salle des CM", "Private: community managers only.", {"access": Access.COMMUNITY_MANAGERS}),
    ]),
]

THREADS = [
    ("Introductions", "member", "Hi everyone, I'm Maya 👋",
     "Hello! I'm Maya from **Lyon**. I ride bikes on weekends and crunch data on weekdays.\n\n"
     "Looking forward to learning from you all. @camille, I hear you take great photos!",
     [("camille", "Welcome Maya! Yes, I'll share some shots from the Monts d'Or soon."),
      ("oliver", "Welcome aboard. Tribune is a friendly place; fair warning: the keyboard thread is addictive."),
      ("cm", "Welcome Maya! Have a look at the *Questions & answers* forum, it's a great place to start.")]),
    ("Présentations", "camille", "Bonjour à toutes et à tous",
     "Je suis Camille, photographe amateure à Nantes. J'aime la lumière du matin et les vieux objectifs.",
     [("lea", "Bienvenue Camille ! Hâte de voir tes photos."),
      ("hugo", "Bienvenue ! Si tu passes par Grenoble, les lacs au lever du soleil valent le détour."),
      ("ines", "Bienvenue :) Tu fais aussi de la photo culinaire ?"),
      ("camille", "Merci à tous ! @ines un peu, oui, surtout des desserts.")]),
    ("Questions & answers", "tomasz", "How do you back up a home server without losing sleep?",
     "I run a small home server (photos, documents, a wiki). What's a **simple** backup routine that "
     "actually gets tested?",
     [("oliver", "Two copies at home, one off-site. And restore a random file every month."),
      ("priya", "Use a tool with deduplication and encryption (restic or borg), run it nightly with a "
                "timer, and put the repository on a second disk plus a cloud bucket. Then *test the "
                "restore*: a backup you never restored is a hope, not a backup."),
      ("tomasz", "Thanks, that's exactly the nudge I needed.")]),
    ("Café du coin", "hugo", "Vos randonnées préférées cet automne ?",
     "Je prépare quelques sorties pour novembre. Des idées de boucles de 15 à 20 km ?",
     [("camille", "Le tour du lac de Paladru, tranquille et très beau en automne. Je l'ai découvert "
                  "grâce à un fil sur Tribune !"),
      ("member", "Not a hiker, but I can vouch for the cycling routes around there!")]),
    ("Bricolage et réparations", "contributor", "Réparer une chaise bancale : la méthode simple",
     "Avant de tout démonter, vérifiez les tenons : souvent un peu de colle à bois et un serre-joint "
     "suffisent. Je détaille tout dans ma prochaine chronique.",
     [("ines", "Merci ! Et pour une chaise paillée ?"),
      ("contributor", "Autre sujet, je le garde pour une chronique entière :)")]),
    ("Salle des CM", "cm", "Weekly sync: tone in the help forum",
     "A few answers got a bit sharp this week. Let's keep nudging people towards kindness, "
     "and flag anything that crosses the line.",
     [("lea", "D'accord. Je propose aussi d'épingler un rappel des règles dans l'entraide.")]),
]


@transaction.atomic
def seed_forums(*, stdout=None) -> None:
    if Forum.objects.exists():
        if stdout is not None:
            stdout.write("  forums already seeded")
        return
    users = {u.username: u for u in User.objects.all()}
    forums = {}
    for position, (category_name, description, children) in enumerate(TREE):
        category = services.save_forum(forum=Forum(name=category_name, description=description,
                                                   is_category=True, position=position))
        for child_position, (name, child_description, options) in enumerate(children):
            forums[name] = services.save_forum(forum=Forum(
                name=name, description=child_description, parent=category, position=child_position, **options))
    moderators = Forum.moderators.through
    moderators.objects.get_or_create(forum_id=forums["Présentations"].pk, user_id=users["lea"].pk)

    start = timezone.now() - timedelta(days=6)
    for index, (forum_name, author, title, body, replies) in enumerate(THREADS):
        topic = services.create_topic(actor=users[author], forum=forums[forum_name], title=title, body=body)
        _backdate(topic, start + timedelta(hours=index * 9))
        for reply_index, (reply_author, reply_body) in enumerate(replies):
            post = services.post_reply(actor=users[reply_author], topic=topic, body=reply_body)
            _backdate_post(post, start + timedelta(hours=index * 9, minutes=37 * (reply_index + 1)))
        _refresh_times(topic)

    # Likes, a pinned welcome, an accepted answer.
    for post in Post.objects.filter(position__gt=1).select_related("topic__forum")[:12]:
        for name in ("member", "camille", "oliver", "lea"):
            if users[name].pk != post.author_id and post.topic.forum.read_level <= 1:
                Reaction.objects.get_or_create(post=post, user=users[name])
        Post.objects.filter(pk=post.pk).update(reaction_count=Reaction.objects.filter(post=post).count())
    question = Topic.objects.get(forum=forums["Questions & answers"])
    services.accept_answer(actor=users["tomasz"], topic=question,
                           post=Post.objects.get(topic=question, position=3))
    welcome = Topic.objects.get(forum=forums["Introductions"])
    services.set_pinned(actor=users["cm"], topic=welcome, pinned=True)
    if stdout is not None:
        stdout.write(f"  forums: {Forum.objects.count()} forums, {Topic.objects.count()} topics, "
                     f"{Post.objects.count()} posts")


def _backdate(topic, when):
    Topic.objects.filter(pk=topic.pk).update(created_at=when)
    Post.objects.filter(topic=topic, position=1).update(created_at=when)


def _backdate_post(post, when):
    Post.objects.filter(pk=post.pk).update(created_at=when)


def _refresh_times(topic):
    last = Post.objects.filter(topic=topic).order_by("-position").first()
    Topic.objects.filter(pk=topic.pk).update(last_post_at=last.created_at)
    forum = Forum.objects.get(pk=topic.forum_id)
    if forum.last_post_id == last.pk:
        Forum.objects.filter(pk=forum.pk).update(last_post_at=last.created_at)
