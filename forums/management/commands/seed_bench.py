"""Seed the standard forum benchmark dataset (../shared/bench/DATASET.md) with bulk inserts.

    manage.py seed_bench [--reset] [--topics N]

The dataset is exact and deterministic (fixed seeds): 1,000 members user0000…user0999 (password
`benchpass`, hashed once), 10 categories × 3 forums, 5,000 topics, 100,000 posts whose bodies come
from a pool of 1,000 Markdown texts rendered once each with `community.markup`. Denormalized
counters (topic and forum counts, first/last post, last poster, last activity) are set with a few
set-based UPDATEs and checked against COUNT(*) at the end.

`--topics N` is for smoke tests only (e.g. on SQLite): with any other value than 5,000 this is
NOT the standard dataset and its figures do not compare with anything.

Writes the benchmark page paths to bench/results/urls.txt as `name path` lines.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, F, Max, OuterRef, Subquery, Sum
from django.urls import reverse

from community import markup, writing
from community.identity import skeleton
from community.models import Event, Profile, SpamStatus, User, Visibility
from community.permissions import Role
from forums import services
from forums.models import (
    Forum,
    ForumReadMark,
    ForumSubscription,
    ModerationLogEntry,
    Post,
    PostRevision,
    Reaction,
    Topic,
    TopicReadState,
    TopicSubscription,
)

STANDARD_TOPICS = 5000
USERS = 1000
CATEGORIES = 10
FORUMS_PER_CATEGORY = 3
LEAVES = CATEGORIES * FORUMS_PER_CATEGORY
HOT_POSTS = 2000
LONG_TOPICS = 3019  # topics 0…3018 have 20 posts, the others 19 (the hot one 2,000)
POOL_SIZE = 1000
PASSWORD = "benchpass"
START = datetime(2024, 1, 1, tzinfo=UTC)
BATCH = 2000
SEED = 20240101

BENCH_FORUM_LEAF = 19  # 'Forum 6.1'
NORMAL_TOPIC = 2500

LOREM = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore "
    "et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip "
    "ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum fugiat nulla "
    "pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim "
    "id est laborum pellentesque habitant morbi tristique senectus netus malesuada fames turpis egestas "
    "vestibulum tortor quam feugiat vitae ultricies eget tempus semper mauris placerat eleifend leo"
).split()


# --- The dataset's definition ----------------------------------------------------------------------

def posts_in_topic(t: int, topics: int) -> int:
    if t == topics - 1:
        return HOT_POSTS
    return 20 if t < LONG_TOPICS else 19


def topic_author(t: int) -> int:
    return (t * 37) % USERS


def post_author(t: int, k: int) -> int:
    return (t * 37 + k * 101) % USERS


def topic_start(t: int) -> datetime:
    return START + timedelta(minutes=10 * t)


def post_time(t: int, k: int, topics: int) -> datetime:
    if t == topics - 1:
        return topic_start(t) + timedelta(seconds=30 * k)
    return topic_start(t) + timedelta(minutes=k)


def post_body_index(t: int, k: int) -> int:
    return (t * 31 + k) % POOL_SIZE


def _sentence(rng: random.Random) -> list[str]:
    words = [rng.choice(LOREM) for _ in range(rng.randint(6, 13))]
    words[0] = words[0].capitalize()
    words[-1] += "."
    return words


def _paragraph(rng: random.Random, target: int, insert) -> str:
    """Sentences of lorem text up to about `target` characters; `insert(words)` adds the markup
    (bold phrase or link) once, in the second sentence."""
    sentences: list[str] = []
    length = 0
    while length < target or len(sentences) < 2:
        words = _sentence(rng)
        if len(sentences) == 1:
            words = insert(words)
        text = " ".join(words)
        sentences.append(text)
        length += len(text) + 1
    return " ".join(sentences)


def body_pool(seed: int = SEED) -> list[str]:
    """1,000 distinct Markdown bodies of about 600 characters (deterministic)."""
    rng = random.Random(seed)
    pool = []
    for n in range(POOL_SIZE):
        def bold(words):
            at = rng.randint(1, len(words) - 1)
            phrase = " ".join(rng.choice(LOREM) for _ in range(rng.randint(2, 3)))
            return words[:at] + [f"**{phrase}**"] + words[at:]

        def link(words, n=n):
            at = rng.randint(1, len(words) - 1)
            text = " ".join(rng.choice(LOREM) for _ in range(rng.randint(2, 3)))
            return words[:at] + [f"[{text}](https://example.com/docs/{n})"] + words[at:]

        first = _paragraph(rng, 270, bold)
        second = _paragraph(rng, 270, link)
        pool.append(f"{first}\n\n{second}")
    assert len(set(pool)) == POOL_SIZE
    return pool


def topic_titles(topics: int, seed: int = SEED) -> list[str]:
    rng = random.Random(seed + 1)
    return [f"Topic #{t}: " + " ".join(rng.choice(LOREM) for _ in range(6)) for t in range(topics)]


# --- The command ------------------------------------------------------------------------------------

class Command(BaseCommand):
    help = ("Seed the standard forum benchmark dataset (../shared/bench/DATASET.md) with bulk inserts. "
            "Refuses a database that already holds forum content unless --reset.")

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true",
                            help="Delete ALL forums, topics and posts and the bench users user0000…user0999 "
                                 "first (other users, e.g. the demo logins, are kept).")
        parser.add_argument("--topics", type=int, default=STANDARD_TOPICS,
                            help="Number of topics, for smoke tests only: any value other than 5000 is NOT "
                                 "the standard dataset (default 5000).")
        parser.add_argument("--urls-file", default=str(Path(settings.BASE_DIR) / "bench" / "results" / "urls.txt"),
                            help="Where to write the `name path` lines of the benchmark pages.")

    def handle(self, *args, **options):
        topics = options["topics"]
        if topics < 2:
            raise CommandError("--topics must be at least 2.")
        if topics != STANDARD_TOPICS:
            self.stderr.write(self.style.WARNING(
                f"--topics {topics}: this is NOT the standard dataset; do not compare its figures."))
        bench_users = User.objects.filter(username__regex=r"^user[0-9]{4}$")
        existing = {
            "forums": Forum.objects.count(),
            "topics": Topic.objects.count(),
            "posts": Post.objects.count(),
            "bench users": bench_users.count(),
        }
        if any(existing.values()):
            if not options["reset"]:
                found = ", ".join(f"{n} {what}" for what, n in existing.items() if n)
                raise CommandError(
                    f"The database already holds forum content ({found}). Run seed_bench on an empty "
                    "database, or pass --reset to delete every forum, topic and post and the users "
                    "user0000…user0999 first.")
        started = time.monotonic()
        if any(existing.values()):
            self._reset(bench_users)
            # Ids are reused by the new rows: what the cache holds about the old ones (members'
            # rows and grants, fragments, pages) must go with them.
            cache.clear()
            self.stdout.write(f"reset: {time.monotonic() - started:.1f} s")

        seed_started = time.monotonic()
        with transaction.atomic():
            phases = self._seed(topics)
        if connection.vendor == "postgresql":
            t0 = time.monotonic()
            # Outside the transaction: leave the tables as autovacuum would (the counter UPDATEs left
            # a dead version of every topic row) and give the planner real statistics.
            with connection.cursor() as cursor:
                for table in ("community_user", "community_profile", "community_user_groups", "forums_forum",
                              "forums_topic", "forums_post"):
                    cursor.execute(f"VACUUM ANALYZE {table}")
            phases.append(("vacuum", time.monotonic() - t0))
        elapsed = time.monotonic() - seed_started
        for name, seconds in phases:
            self.stdout.write(f"  {name:<12} {seconds:6.2f} s")

        t0 = time.monotonic()
        self._check(topics)
        self.stdout.write(f"  {'check':<12} {time.monotonic() - t0:6.2f} s (counters match COUNT(*))")
        self._write_urls(topics, Path(options["urls_file"]))
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {USERS} users, {CATEGORIES + LEAVES} forums, {topics} topics, "
            f"{Post.objects.count()} posts in {elapsed:.1f} s"))
        self.stdout.write(f"seed_seconds={elapsed:.2f}")

    # --- reset --------------------------------------------------------------------------------------

    def _reset(self, bench_users):
        from django.contrib.contenttypes.models import ContentType

        with transaction.atomic():
            # Break the cycles (forum/topic -> post) first, then delete bottom-up with plain DELETEs.
            Forum.objects.update(last_post=None)
            Topic.objects.update(first_post=None, last_post=None, accepted_answer=None)
            for model in (Reaction, PostRevision, ModerationLogEntry, TopicReadState, TopicSubscription,
                          ForumReadMark, ForumSubscription, Forum.moderators.through, Post, Topic):
                model.objects.all()._raw_delete(connection.alias)
            Forum.objects.all().delete()
            kinds = ContentType.objects.get_for_models(Post, Topic).values()
            Event.objects.filter(target_type__in=list(kinds)).delete()
            bench_users.delete()

    # --- seed ---------------------------------------------------------------------------------------

    def _seed(self, topics: int) -> list[tuple[str, float]]:
        phases = []
        t0 = time.monotonic()
        users = self._users()
        phases.append(("users", time.monotonic() - t0))

        t0 = time.monotonic()
        leaves = self._forums()
        phases.append(("forums", time.monotonic() - t0))

        t0 = time.monotonic()
        pool = body_pool()
        rendered = [markup.render(body).html for body in pool]
        phases.append(("render pool", time.monotonic() - t0))

        t0 = time.monotonic()
        topic_ids = self._topics(topics, users, leaves)
        phases.append(("topics", time.monotonic() - t0))

        t0 = time.monotonic()
        self._posts(topics, topic_ids, users, pool, rendered)
        phases.append(("posts", time.monotonic() - t0))

        t0 = time.monotonic()
        self._counters(leaves)
        phases.append(("counters", time.monotonic() - t0))
        return phases

    def _users(self) -> list[int]:
        from allauth.account.models import EmailAddress

        password = make_password(PASSWORD)  # hashed once, reused
        joined = START - timedelta(days=365)
        users = User.objects.bulk_create(
            [User(username=f"user{i:04d}", username_skeleton=skeleton(f"user{i:04d}"),  # bulk: no save()
                  email=f"user{i:04d}@example.com", password=password,
                  date_joined=joined, is_active=True, trust_level=1) for i in range(USERS)],
            batch_size=BATCH,
        )
        ids = [user.pk for user in users]
        if None in ids:  # a backend that cannot return ids from a bulk insert
            by_name = dict(User.objects.filter(username__regex=r"^user[0-9]{4}$").values_list("username", "pk"))
            ids = [by_name[f"user{i:04d}"] for i in range(USERS)]
        # What set_up_member() gives a new account: a profile and the Members role.
        Profile.objects.bulk_create([Profile(user_id=pk) for pk in ids], batch_size=BATCH)
        group, _created = Group.objects.get_or_create(name=Role.MEMBER)
        through = User.groups.through
        through.objects.bulk_create([through(user_id=pk, group_id=group.pk) for pk in ids], batch_size=BATCH)
        # A verified primary address, as after signup + confirmation, so a bench user can also log in
        # through allauth's form (email verification is mandatory in production settings).
        EmailAddress.objects.bulk_create(
            [EmailAddress(user_id=pk, email=f"user{i:04d}@example.com", verified=True, primary=True)
             for i, pk in enumerate(ids)], batch_size=BATCH)
        return ids

    def _forums(self) -> list[Forum]:
        leaves = []
        for c in range(CATEGORIES):
            category = services.save_forum(forum=Forum(
                name=f"Category {c}", slug=f"category-{c}", is_category=True, position=c))
            for s in range(FORUMS_PER_CATEGORY):
                leaves.append(services.save_forum(forum=Forum(
                    parent=category, name=f"Forum {c}.{s}", slug=f"forum-{c}-{s}", position=s)))
        assert [leaf.name for leaf in leaves][BENCH_FORUM_LEAF] == "Forum 6.1"
        return leaves

    def _topics(self, topics: int, users: list[int], leaves: list[Forum]) -> list[int]:
        titles = topic_titles(topics)
        rows = []
        for t in range(topics):
            n = posts_in_topic(t, topics)
            rows.append(Topic(
                forum_id=leaves[t % LEAVES].pk, title=titles[t], slug=writing.slug_for(titles[t], fallback="topic"),
                author_id=users[topic_author(t)], created_at=topic_start(t),
                status=Visibility.PUBLISHED, spam_status=SpamStatus.HAM,
                post_count=n, last_position=n, last_post_at=post_time(t, n - 1, topics),
                last_poster_id=users[post_author(t, n - 1)],
            ))
        created = Topic.objects.bulk_create(rows, batch_size=BATCH)
        ids = [topic.pk for topic in created]
        if None in ids:
            ids = list(Topic.objects.order_by("pk").values_list("pk", flat=True))
        return ids

    def _post_rows(self, topics, topic_ids, users, pool, rendered):
        fingerprints: dict[tuple[int, int], str] = {}
        for t in range(topics):
            for k in range(posts_in_topic(t, topics)):
                author = users[post_author(t, k)]
                b = post_body_index(t, k)
                fp = fingerprints.get((author, b))
                if fp is None:
                    fp = fingerprints[(author, b)] = writing.fingerprint(author, pool[b])
                yield (topic_ids[t], author, k + 1, pool[b], rendered[b], post_time(t, k, topics), fp)

    def _posts(self, topics, topic_ids, users, pool, rendered) -> None:
        rows = self._post_rows(topics, topic_ids, users, pool, rendered)
        published, ham = str(Visibility.PUBLISHED), str(SpamStatus.HAM)
        if connection.vendor == "postgresql":
            # COPY: the fastest bulk insert PostgreSQL has (psycopg 3).
            columns = ("topic_id", "author_id", "position", "body", "body_html", "created_at", "fingerprint",
                       "status", "spam_status", "edit_count", "is_deleted", "reaction_count")
            table = Post._meta.db_table
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row((*row, published, ham, 0, False, 0))
            return
        batch = []
        for topic_id, author_id, position, body, body_html, created_at, fp in rows:
            batch.append(Post(topic_id=topic_id, author_id=author_id, position=position, body=body,
                              body_html=body_html, created_at=created_at, fingerprint=fp,
                              status=published, spam_status=ham))
            if len(batch) >= BATCH:
                Post.objects.bulk_create(batch, batch_size=BATCH)
                batch = []
        if batch:
            Post.objects.bulk_create(batch, batch_size=BATCH)

    def _counters(self, leaves: list[Forum]) -> None:
        """What the services maintain, set-based: a topic's first and last post (post_count,
        last_position, last_post_at and last_poster were set at insert), then each forum's counts
        and latest post (categories keep 0 / null: the index sums their forums)."""
        posts = Post.objects.filter(topic_id=OuterRef("pk"))
        Topic.objects.update(
            first_post_id=Subquery(posts.filter(position=1).values("pk")[:1]),
            last_post_id=Subquery(posts.filter(position=OuterRef("last_position")).values("pk")[:1]),
        )
        totals = {row["forum_id"]: row for row in
                  Topic.objects.filter(status=Visibility.PUBLISHED).values("forum_id")
                  .annotate(topics=Count("pk"), posts=Sum("post_count"))}
        for leaf in leaves:
            row = totals.get(leaf.pk, {"topics": 0, "posts": 0})
            Forum.objects.filter(pk=leaf.pk).update(topic_count=row["topics"], post_count=row["posts"] or 0)
            services.refresh_forum_last_post(forum_id=leaf.pk)

    # --- check --------------------------------------------------------------------------------------

    def _check(self, topics: int) -> None:
        errors = []
        expected_posts = sum(posts_in_topic(t, topics) for t in range(topics))
        counts = {
            "bench users": (User.objects.filter(username__regex=r"^user[0-9]{4}$").count(), USERS),
            "profiles": (Profile.objects.filter(user__username__regex=r"^user[0-9]{4}$").count(), USERS),
            "members": (User.groups.through.objects.filter(group__name=Role.MEMBER,
                                                           user__username__regex=r"^user[0-9]{4}$").count(), USERS),
            "forums": (Forum.objects.count(), CATEGORIES + LEAVES),
            "topics": (Topic.objects.count(), topics),
            "posts": (Post.objects.count(), expected_posts),
        }
        if topics == STANDARD_TOPICS:
            assert expected_posts == 100_000
        errors += [f"{what}: {got} != {want}" for what, (got, want) in counts.items() if got != want]

        actual = Topic.objects.annotate(n=Count("posts"), top=Max("posts__position"))
        good = actual.filter(post_count=F("n"), last_position=F("top")).count()
        if good != topics:
            errors.append(f"topic post_count/last_position wrong for {topics - good} topics")
        good = Topic.objects.filter(
            first_post__topic=F("pk"), first_post__position=1,
            last_post__topic=F("pk"), last_post__position=F("last_position"),
            last_post_at=F("last_post__created_at"), last_poster=F("last_post__author"),
        ).count()
        if good != topics:
            errors.append(f"topic first/last post wrong for {topics - good} topics")

        per_forum = {row["topic__forum_id"]: row["n"]
                     for row in Post.objects.values("topic__forum_id").annotate(n=Count("pk"))}
        for forum in Forum.objects.annotate(n=Count("topics"), latest=Max("topics__last_post_at")):
            if forum.is_category:
                if forum.topic_count or forum.post_count or forum.last_post_id:
                    errors.append(f"category {forum.name} has counters")
                continue
            if forum.topic_count != forum.n or forum.post_count != per_forum.get(forum.pk, 0):
                errors.append(f"{forum.name}: counts {forum.topic_count}/{forum.post_count} != "
                              f"{forum.n}/{per_forum.get(forum.pk, 0)}")
            if forum.last_post_at != forum.latest:
                errors.append(f"{forum.name}: last_post_at {forum.last_post_at} != {forum.latest}")
        good = Forum.objects.filter(is_category=False, last_post__created_at=F("last_post_at"),
                                    last_post__topic__forum=F("pk")).count()
        if good != LEAVES:
            errors.append(f"forum last_post wrong for {LEAVES - good} forums")
        if topics == STANDARD_TOPICS:
            bench_forum = Forum.objects.get(name="Forum 6.1")
            if bench_forum.topic_count != 167:
                errors.append(f"Forum 6.1 has {bench_forum.topic_count} topics, not 167")
        if errors:
            raise CommandError("Seeded data failed the check:\n  " + "\n  ".join(errors))

    # --- urls ---------------------------------------------------------------------------------------

    def _write_urls(self, topics: int, path: Path) -> None:
        titles = topic_titles(topics)
        forum = Forum.objects.get(name="Forum 6.1")
        by_title = {t.title: t for t in Topic.objects.filter(
            title__in=[titles[topics - 1], titles[min(NORMAL_TOPIC, topics - 2)]])}
        hot = by_title[titles[topics - 1]]
        normal = by_title[titles[min(NORMAL_TOPIC, topics - 2)]]
        lines = [
            ("index", reverse("forums:index")),
            ("forum", forum.get_absolute_url()),
            ("hot_first", hot.get_absolute_url()),
            ("hot_last", f"{hot.get_absolute_url()}?page={hot.page_count}"),
            ("normal", normal.get_absolute_url()),
            ("reply_topic", reverse("forums:reply", kwargs={"topic_id": normal.pk})),
        ]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{name} {url}\n" for name, url in lines))
        self.stdout.write(f"wrote {path}")
