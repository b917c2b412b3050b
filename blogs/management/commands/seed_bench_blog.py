"""Seed the standard blog benchmark dataset (bench/README.md, "The blog dataset") with the real
services, on top of the forum dataset (`manage.py seed_bench`, whose members comment here).

    manage.py seed_bench_blog [--reset] [--posts N] [--comments N] [--urls-file PATH]

One space made by `blogs.services.create_space` (actor: a community manager), 200 posts added
as the editor adds them (`add_child`, then one revision published: Wagtail's `page_published`
announces each one on the spine), and one post with 500 threaded comments written by
`blogs.comments.add_comment` (roots, replies, replies to replies; deeper ones too) from 50 forum
members, a few of them then withdrawn by their authors with `delete_comment` (tombstones). The
plan is fixed by random.Random(42): the same tree, authors and bodies on every run.

The outbox, as `seed_bench` leaves it: that command writes no event at all (bulk inserts) and
its posts are checked clean (HAM). Here the services record their events (they are sent to the
broker after commit, as in production); before the commit the seeding marks them delivered and
its posts and comments checked clean, which is what a worker leaves when every check passes —
without running the checks, whose posting-speed rule would rightly find 500 comments written
in seconds suspicious, and without the notifications (the forum dataset has none either).

`--posts` / `--comments` are for smoke tests: any other value than 200 / 500 is NOT the standard
dataset. Adds the page paths to the urls file (`space`, `post500`, `post0`, `comment_post`).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from blogs.comments import add_comment, delete_comment
from blogs.models import Comment, PostThread, SpacePage, SpacePostPage
from blogs.services import create_space
from community.models import Event, EventStatus, SpamStatus, User, Visibility
from community.permissions import Role
from community.services import set_up_member
from forums.management.commands.seed_bench import LOREM, PASSWORD, body_pool

STANDARD_POSTS = 200
STANDARD_COMMENTS = 500
COMMENTERS = 50
SEED = 42
SPACE_TITLE = "Bench column"
OWNER = "benchowner"
CM = "benchcm"
FIRST_DATE = date(2024, 1, 1)
ROOT_SHARE = 0.3  # a comment starts a new conversation with this probability (the first always does)
REPLY_WINDOW = 20  # a reply answers one of the 20 comments written just before it
TAGS = ("workshop", "tools", "bikes", "repairs", "travel", "reading", "photos", "notes")


# --- The dataset's definition ----------------------------------------------------------------------

def commenter_numbers() -> list[int]:
    """The 50 forum members who comment: user (37k + 11) mod 1000, k = 0…49 (all distinct)."""
    return [(37 * k + 11) % 1000 for k in range(COMMENTERS)]


def thread_plan(comments: int, seed: int = SEED) -> dict:
    """Comment i (0-based, in writing order): its parent's index (None: a root), its author (an
    index into commenter_numbers()) and its body; then the comments their authors delete."""
    rng = random.Random(seed)
    parents: list[int | None] = []
    authors: list[int] = []
    for i in range(comments):
        parents.append(None if i == 0 or rng.random() < ROOT_SHARE else rng.randrange(max(0, i - REPLY_WINDOW), i))
        authors.append(rng.randrange(COMMENTERS))
    with_replies = sorted({p for p in parents if p is not None})
    leaves = [i for i in range(comments) if i not in set(with_replies)]
    deleted_total = max(2, comments // 50)
    deleted_leaves = min(len(leaves), deleted_total // 5)
    deleted = sorted(rng.sample(with_replies, min(len(with_replies), deleted_total - deleted_leaves))
                     + rng.sample(leaves, deleted_leaves))
    pool = body_pool()
    bodies = []
    for i in range(comments):
        body = pool[(7 * i) % len(pool)]
        # Two in three comments are one paragraph (~300 characters, a bold phrase), the others the
        # whole text (two paragraphs and a link, ~600 characters).
        bodies.append(body if i % 3 == 0 else body.split("\n\n", 1)[0])
    assert len(set(bodies)) == comments
    return {"parents": parents, "authors": authors, "bodies": bodies, "deleted": deleted}


def depths(parents: list[int | None]) -> list[int]:
    found: list[int] = []
    for parent in parents:
        found.append(0 if parent is None else found[parent] + 1)
    return found


def post_title(j: int, rng: random.Random) -> str:
    return f"Post #{j}: " + " ".join(rng.choice(LOREM) for _ in range(5))


def post_body(j: int, rng: random.Random) -> list:
    """Three paragraphs of lorem text (one with a bold phrase) and a call-out: ~1,500 characters."""
    def sentence(k):
        words = [rng.choice(LOREM) for _ in range(k)]
        return " ".join(words).capitalize() + "."

    paragraphs = [" ".join(sentence(rng.randint(8, 14)) for _ in range(4)) for _ in range(3)]
    bold = " ".join(rng.choice(LOREM) for _ in range(3))
    text = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[:2]) + f"<p><b>{bold}</b> {escape(paragraphs[2])}</p>"
    return [("text", text), ("callout", {"tone": "tip", "text": f"<p>{escape(sentence(10))}</p>"})]


# --- The command ------------------------------------------------------------------------------------

class Command(BaseCommand):
    help = ("Seed the standard blog benchmark dataset (bench/README.md) with the real services, after "
            "seed_bench. Refuses a database that already holds the bench space unless --reset.")

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true",
                            help=f"Delete the space '{SPACE_TITLE}' (its posts and comments) first.")
        parser.add_argument("--posts", type=int, default=STANDARD_POSTS,
                            help="Number of posts, for smoke tests only (default 200).")
        parser.add_argument("--comments", type=int, default=STANDARD_COMMENTS,
                            help="Comments on the commented post, for smoke tests only (default 500).")
        parser.add_argument("--urls-file", default=str(Path(settings.BASE_DIR) / "bench" / "results" / "urls.txt"),
                            help="The `name path` file of the benchmark pages: this command's lines are "
                                 "added (or replaced), the others kept.")

    def handle(self, *args, **options):
        posts, comments = options["posts"], options["comments"]
        if posts < 2 or comments < 10:
            raise CommandError("--posts must be at least 2 and --comments at least 10.")
        if (posts, comments) != (STANDARD_POSTS, STANDARD_COMMENTS):
            self.stderr.write(self.style.WARNING(
                f"--posts {posts} --comments {comments}: this is NOT the standard dataset; do not compare "
                "its figures."))
        numbers = commenter_numbers()
        by_name = {u.username: u for u in User.objects.filter(username__in=[f"user{n:04d}" for n in numbers])}
        if len(by_name) != COMMENTERS:
            raise CommandError("The forum dataset's members are missing: run `manage.py seed_bench` first.")
        existing = SpacePage.objects.filter(title=SPACE_TITLE).first()
        if existing is not None:
            if not options["reset"]:
                raise CommandError(f"The space '{SPACE_TITLE}' exists already: pass --reset to delete it first.")
            t0 = time.monotonic()
            self._reset(existing)
            self.stdout.write(f"reset: {time.monotonic() - t0:.1f} s")

        commenters = [by_name[f"user{n:04d}"] for n in numbers]
        started = time.monotonic()
        with transaction.atomic():
            phases, made = self._seed(posts, comments, commenters)
        if connection.vendor == "postgresql":
            t0 = time.monotonic()
            with connection.cursor() as cursor:
                for table in ("wagtailcore_page", "blogs_spacepostpage", "blogs_postthread", "blogs_comment",
                              "taggit_tag", "blogs_spaceposttag", "community_event"):
                    cursor.execute(f"VACUUM ANALYZE {table}")
            phases.append(("vacuum", time.monotonic() - t0))
        elapsed = time.monotonic() - started
        for name, seconds in phases:
            self.stdout.write(f"  {name:<12} {seconds:6.2f} s")
        self._check(made, posts, comments)
        self._write_urls(made, Path(options["urls_file"]))
        self.stdout.write(self.style.SUCCESS(
            f"Seeded 1 space, {posts} posts, {comments} comments on one post in {elapsed:.1f} s"))
        self.stdout.write(f"blog_seed_seconds={elapsed:.2f}")

    def _reset(self, space):
        with transaction.atomic():
            Comment.objects.filter(space=space).delete()
            Group.objects.filter(name=f"Space: {space.slug} ({space.pk})").delete()
            space.delete()

    # --- seed ---------------------------------------------------------------------------------------

    def _seed(self, posts: int, comments: int, commenters: list[User]):
        phases = []
        first_event = (Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

        t0 = time.monotonic()
        cm, owner = self._people()
        space = create_space(actor=cm, owner=owner, kind="column", title=SPACE_TITLE,
                             tagline="Workshop notes, one post a day.",
                             about="<p>The benchmark's space: 200 posts, one of them much discussed.</p>")
        phases.append(("space", time.monotonic() - t0))

        t0 = time.monotonic()
        rng = random.Random(SEED)
        made = []
        for j in range(posts):
            post = SpacePostPage(title=post_title(j, rng), date=FIRST_DATE + timedelta(days=j), owner=owner,
                                 excerpt=f"Notes of day {j + 1}: " + " ".join(rng.choice(LOREM) for _ in range(8)) + ".",
                                 body=post_body(j, rng))
            space.add_child(instance=post)
            post.tags.add(TAGS[j % len(TAGS)], TAGS[(3 * j + 1) % len(TAGS)])
            post.save_revision(user=owner).publish(user=owner)
            made.append(post)
        phases.append(("posts", time.monotonic() - t0))

        # The newest post (first on the space's page 1) gets the comments; the one before it none.
        commented = SpacePostPage.objects.get(pk=made[-1].pk)
        t0 = time.monotonic()
        plan = thread_plan(comments)
        written: list[Comment] = []
        for parent, author, body in zip(plan["parents"], plan["authors"], plan["bodies"], strict=True):
            written.append(add_comment(actor=commenters[author], post=commented, body=body,
                                       parent=written[parent] if parent is not None else None))
        phases.append(("comments", time.monotonic() - t0))

        t0 = time.monotonic()
        for i in plan["deleted"]:
            delete_comment(actor=commenters[plan["authors"][i]], comment=written[i])
        phases.append(("deletions", time.monotonic() - t0))

        t0 = time.monotonic()
        # The outbox as a worker leaves it when every check passes (see the module's docstring).
        settled = Event.objects.filter(pk__gte=first_event, status=EventStatus.PENDING).update(
            status=EventStatus.DONE, processed_at=timezone.now(), last_error="")
        SpacePostPage.objects.child_of(space).update(spam_status=SpamStatus.HAM)
        Comment.objects.filter(space=space).update(spam_status=SpamStatus.HAM)
        phases.append(("outbox", time.monotonic() - t0))
        self.stdout.write(f"  {settled} events of the seeding marked delivered")
        return phases, {"space": space, "commented": commented, "empty": made[-2], "plan": plan}

    def _people(self) -> tuple[User, User]:
        """A community manager (the bench dataset has none) and the space's owner."""
        cm = User.objects.filter(groups__name=Role.COMMUNITY_MANAGER, is_active=True).order_by("pk").first()
        if cm is None:
            cm = self._member(CM, "Bench Manager")
            cm.groups.add(Group.objects.get(name=Role.COMMUNITY_MANAGER))
        owner = User.objects.filter(username=OWNER).first() or self._member(OWNER, "Bench Owner")
        return cm, owner

    def _member(self, username: str, display_name: str) -> User:
        user = User.objects.create_user(username=username, email=f"{username}@example.com", password=PASSWORD,
                                        display_name=display_name, trust_level=1)
        set_up_member(user=user)
        return user

    # --- check --------------------------------------------------------------------------------------

    def _check(self, made: dict, posts: int, comments: int) -> None:
        space, commented, plan = made["space"], made["commented"], made["plan"]
        errors = []
        live = SpacePostPage.objects.child_of(space).live().filter(status=Visibility.PUBLISHED).count()
        if live != posts:
            errors.append(f"{live} live posts, not {posts}")
        rows = list(Comment.objects.filter(post=commented).order_by("number")
                    .values_list("level", "is_deleted", "status", "author__username"))
        deleted = len(plan["deleted"])
        if len(rows) != comments:
            errors.append(f"{len(rows)} comments, not {comments}")
        if [level for level, *_rest in rows] != depths(plan["parents"]):
            errors.append("the comments' depths differ from the plan")
        if sum(1 for row in rows if row[1]) != deleted:
            errors.append(f"deleted comments: {sum(1 for row in rows if row[1])}, not {deleted}")
        if any(row[2] != Visibility.PUBLISHED for row in rows):
            errors.append("a comment is not published")
        thread = PostThread.objects.get(pk=commented.pk)
        if (thread.comment_count, thread.last_number) != (comments - deleted, comments):
            errors.append(f"thread counters {thread.comment_count}/{thread.last_number}, "
                          f"not {comments - deleted}/{comments}")
        if Comment.objects.filter(post=made["empty"]).exists():
            errors.append("the post without comments has some")
        if Event.objects.filter(status=EventStatus.PENDING).exists():
            errors.append("events are still pending")
        if errors:
            raise CommandError("Seeded data failed the check:\n  " + "\n  ".join(errors))
        levels = Counter(min(level, 5) for level, *_rest in rows)
        shape = ", ".join(f"{'≥5' if level == 5 else level}: {n}" for level, n in sorted(levels.items()))
        self.stdout.write(f"  comments by depth ({shape}); {deleted} deleted by their authors "
                          f"({sum(1 for i in plan['deleted'] if i in set(plan['parents']))} with replies); "
                          f"{len({row[3] for row in rows})} commenters")

    def _write_urls(self, made: dict, path: Path) -> None:
        ours = [
            ("space", made["space"].url),
            ("post500", made["commented"].url),
            ("post0", made["empty"].url),
            ("comment_post", reverse("blogs:comment_create", args=[made["empty"].pk])),
        ]
        names = {name for name, _url in ours}
        kept = []
        if path.exists():
            kept = [line for line in path.read_text().splitlines() if line.strip() and line.split()[0] not in names]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{line}\n" for line in kept) + "".join(f"{name} {url}\n" for name, url in ours))
        self.stdout.write(f"wrote {path}")
