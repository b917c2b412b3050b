"""Throughput of the spam check (bench/README.md, "Spam checks").

    createdb -h 127.0.0.1 -U postgres tribune_spam
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tribune_spam TRIBUNE_TESTING=1 \
        .venv/bin/python bench/spam.py [N]

Migrates the database, trains the production (database) classifier on tests/data/spam_corpus.jsonl,
then writes N replies from the corpus's texts by 20 members, with the outbox's delivery held back
(nothing is checked while writing). It then times, in this process:
  1. `moderation.services.check_content` on each reply (the check itself: load, checkers, verdict,
     SpamCheck row, conditional UPDATE, hold);
  2. the same replies edited and re-checked through the outbox, `community.events.dispatch_event`
     per "content.changed" event (row lock + every handler of the event + the check).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
os.environ.setdefault("TRIBUNE_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def main(count: int) -> None:
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    call_command("migrate", verbosity=0)
    from community import events
    from community.models import Event, EventStatus
    from forums.models import Post
    from forums.services import edit_post, post_reply
    from moderation import services
    from moderation.models import BayesStats, BayesToken, SpamCheck
    from moderation.spam import bayes
    from tests.factories import ForumFactory, TopicFactory, UserFactory

    rows = [json.loads(line) for line in (BASE / "tests/data/spam_corpus.jsonl").open(encoding="utf-8")]
    SpamCheck.objects.all().delete()
    BayesToken.objects.all().delete()
    BayesStats.objects.all().delete()
    started = time.perf_counter()
    classifier = bayes.NaiveBayes()
    for row in rows:
        classifier.learn(row["text"], row["label"])
    learn_rate = len(rows) / (time.perf_counter() - started)

    events.enqueue = lambda *args, **kwargs: False  # hold deliveries back while writing (as if the broker were down)
    suffix = str(int(time.time()))
    forum = ForumFactory(name=f"Spam bench {suffix}", slug=f"spam-bench-{suffix}")
    members = [UserFactory(username=f"sb{suffix}-{index}") for index in range(20)]
    topic = TopicFactory(forum=forum, author=members[0], title="Spam bench", body="The spam bench topic.")
    posts = []
    for index in range(count):
        row = rows[index % len(rows)]
        posts.append(post_reply(actor=members[index % len(members)], topic=topic,
                                body=f"{row['text']} (#{index})"))

    started = time.perf_counter()
    verdicts = [services.check_content(kind_name="forums.post", object_id=post.pk).verdict for post in posts]
    direct = count / (time.perf_counter() - started)

    for post in posts:
        edit_post(actor=post.author, post=Post.objects.select_related("topic__forum").get(pk=post.pk),
                  body=post.body + " (edited)")
    ids = list(Event.objects.filter(kind=events.CONTENT_CHANGED, status=EventStatus.PENDING,
                                    target_id__in=[post.pk for post in posts]).values_list("pk", flat=True))
    started = time.perf_counter()
    outcomes = [events.dispatch_event(event_id) for event_id in ids]
    outbox = len(ids) / (time.perf_counter() - started)

    spam = verdicts.count("spam")
    print(f"database: PostgreSQL {connection.pg_version // 10000}, classifier trained on {len(rows)} texts "
          f"({learn_rate:.0f} learn()/s)")
    print(f"check_content: {count} checks ({spam} spam, {count - spam} ham) -> {direct:.0f} checks/s")
    print(f"outbox dispatch_event (content.changed): {len(ids)} events ({outcomes.count('done')} done) "
          f"-> {outbox:.0f} events/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
