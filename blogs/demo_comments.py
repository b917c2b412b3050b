"""The demo posts' comment threads, written through the real services (`add_comment`,
`edit_comment`, `delete_comment`): replies several levels deep (deeper than the page indents),
mentions, an edited comment with its history, a comment deleted by its author whose replies stay
(a tombstone), and, on a post older than its space's N days, a comment waiting for the owner."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from .comments import add_comment, delete_comment, edit_comment
from .models import Comment, CommentRevision


@dataclass
class C:
    """A comment of the demo: `author` (a username), `body` (its text now), its `replies`; `was`:
    the text first posted (it was edited since); `deleted`: its author withdrew it (after the
    replies); `late`: written after the post was backdated (so the policy of today applies)."""

    author: str
    body: str
    replies: list[C] = field(default_factory=list)
    was: str = ""
    deleted: bool = False
    late: bool = False


THREADS: dict[str, list[C]] = {
    "Changer une chambre à air sans démonter la roue": [
        C("hugo", "Testé dimanche sur un sentier caillouteux : réparé en huit minutes chrono. Merci pour la méthode !", [
            C("contributor", "Huit minutes, bravo ! @hugo tu as bien passé la main à l'intérieur du pneu ? "
                             "Une épine oubliée et c'est reparti pour un tour.", [
                C("hugo", "Oui : une petite épine d'acacia, coincée dans la carcasse. Je l'ai trouvée avec un chiffon.", [
                    C("ines", "Astuce de cuisine détournée : une vieille brosse à dents marche très bien aussi 😄", [
                        C("contributor", "@ines je la note pour la prochaine chronique !", [
                            C("hugo", "Et la brosse à dents a rejoint ma sacoche. Merci à vous deux."),
                        ]),
                    ]),
                ]),
            ]),
        ]),
        C("member", "Does this work with tubeless-ready rims too? I'm never sure whether to carry a spare tube.", [
            C("contributor", "Yes: a spare tube is the safest plan B even with tubeless. Take the valve out first, "
                             "and wipe off the sealant before you fit the tube."),
            C("tomasz", "Seconded. I learnt that the hard way, 30 km from home, with sealant all over my gloves."),
        ]),
        C("camille", "Tu nous montreras un jour le contenu de ta sacoche ? Je suis curieuse de ce que tu emportes."),
    ],
    "Five tools I would buy again": [
        C("oliver", "The torque wrench is the one I wish I had bought first. Carbon seatposts do not forgive.", [
            C("contributor", "Exactement. Une clé dynamométrique coûte moins cher qu'une tige de selle neuve !"),
        ]),
        C("tomasz", "What about a chain checker? The cheapest tool that ever saved me a cassette."),
        C("member", "Late to this one: which cable cutters do you use? Mine crush the housing every time. @contributor",
          late=True),
    ],
    "Brume sur la Loire": [
        C("oliver", "Stunning. Was that really handheld at 1/15 s? No way.", [
            C("camille", "Non, non, trépied obligatoire ! f/8 et 1/4 s pour la troisième.", [
                C("oliver", "I deleted my question: it was in the post all along. Sorry @camille, and thanks!"),
            ]),
        ], deleted=True),
        C("member", "The third one is my favourite. What time did you get there?", [
            C("camille", "Vers 7 h 15, juste avant que le soleil passe les collines. @member viens avec nous la "
                         "prochaine fois !",
              was="Vers 7 h 45, juste avant que le soleil passe les collines. @member viens avec nous la "
                  "prochaine fois !", replies=[
                C("member", "Deal! I'll bring the coffee."),
            ]),
        ]),
        C("lea", "Magnifique série. On la met en avant sur la page d'accueil la semaine prochaine ?", [
            C("cm", "@lea good idea, let's add it to next week's picks."),
        ]),
    ],
    "Épisode 1 — La boulangère de la rue Longue": [
        C("ines", "Quelle belle voix ! J'ai appris plein de choses sur le levain.", [
            C("nadia", "Merci Inès ! Fatima sera ravie. Le prochain épisode se passe au marché couvert.", [
                C("hugo", "Le marché couvert ! Pensez à interviewer le fromager 🧀"),
            ]),
        ]),
        C("priya", "Great sound for a first episode. Which microphone did you use?", [
            C("nadia", "A simple USB dynamic mic and a duvet on the wall. @priya the duvet does half the work!"),
        ]),
    ],
    "Lubing switches, the patient way": [
        C("priya", "Nice framing on the close-ups. Did you shoot it on a phone?", [
            C("oliver", "A phone clamped to a desk arm. Your Pocket Studio tips helped, @priya."),
        ]),
        C("tomasz", "Ninety switches in forty minutes is serious patience.", [
            C("oliver", "A podcast in the background helps. @nadia's, actually."),
            C("nadia", "Ha, merci Oliver ! Ça me fait très plaisir."),
        ]),
    ],
}


def write_thread(post, users: dict, *, late: bool) -> list[tuple[Comment, C]]:
    """Write the post's demo comments (the `late` ones, all top-level, or the others) as their
    authors would: posted, then edited, then deleted. Returns them in the order written."""
    made: list[tuple[Comment, C]] = []

    def write(items: list[C], parent=None):
        for item in items:
            if item.late != late or item.author not in users:
                continue
            comment = add_comment(actor=users[item.author], post=post, body=item.was or item.body, parent=parent)
            made.append((comment, item))
            write(item.replies, comment)

    write(THREADS.get(post.title, []))
    for comment, item in made:
        if item.was:
            edit_comment(actor=comment.author, comment=comment, body=item.body)
    for comment, item in made:
        if item.deleted:
            delete_comment(actor=comment.author, comment=comment)
    return made


def date_thread(made: list[tuple[Comment, C]], start: datetime, end: datetime) -> None:
    """Date the comments one after the other between `start` and `end` (they were all written just
    now); an edit 25 minutes after its comment."""
    step = (end - start) / (len(made) + 1)
    for index, (comment, item) in enumerate(made, start=1):
        when = start + step * index
        Comment.objects.filter(pk=comment.pk).update(created_at=when)
        if item.was:
            edited = min(when + timedelta(minutes=25), timezone.now())
            Comment.objects.filter(pk=comment.pk).update(edited_at=edited)
            CommentRevision.objects.filter(comment=comment).update(created_at=edited)
