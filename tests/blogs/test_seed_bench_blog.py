"""`manage.py seed_bench_blog` (the blog benchmark dataset, bench/README.md) on a small scale: what the
README promises — one space made by a CM, its posts live, one post with a threaded conversation of
the forum dataset's members (roots, replies, replies to replies, tombstones), one post without
comments, nothing left in the outbox — and the page paths added to the urls file."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from blogs.management.commands.seed_bench_blog import COMMENTERS, commenter_numbers, thread_plan
from blogs.models import Comment, PostThread, SpacePage, SpacePostPage
from community.models import Event, EventStatus, SpamStatus, Visibility
from community.permissions import Role

pytestmark = pytest.mark.django_db

POSTS, COMMENTS = 4, 60


@pytest.fixture
def seeded(tmp_path):
    urls = tmp_path / "urls.txt"
    call_command("seed_bench", "--topics", "30", urls_file=str(urls))  # the members who comment
    call_command("seed_bench_blog", "--posts", str(POSTS), "--comments", str(COMMENTS), urls_file=str(urls))
    return urls


def test_it_seeds_one_space_its_posts_and_a_threaded_conversation(seeded, client):
    space = SpacePage.objects.get(title="Bench column")
    assert space.live and space.space_owner.username == "benchowner"
    assert space.space_owner.groups.filter(name=Role.CONTRIBUTOR).exists()
    posts = list(SpacePostPage.objects.child_of(space).live().order_by("date"))
    assert len(posts) == POSTS
    assert all(post.status == Visibility.PUBLISHED and post.spam_status == SpamStatus.HAM for post in posts)
    assert [post.date.isoformat() for post in posts[:2]] == ["2024-01-01", "2024-01-02"]

    commented, empty = posts[-1], posts[-2]
    comments = list(Comment.objects.filter(post=commented).select_related("author"))
    assert len(comments) == COMMENTS
    levels = {c.level for c in comments}
    assert {0, 1, 2} <= levels  # roots, replies, replies to replies
    deleted = [c for c in comments if c.is_deleted]
    assert len(deleted) == len(thread_plan(COMMENTS)["deleted"]) >= 2
    assert all(c.status == Visibility.PUBLISHED and c.spam_status == SpamStatus.HAM for c in comments)
    authors = {c.author.username for c in comments}
    assert authors <= {f"user{n:04d}" for n in commenter_numbers()} and len(authors) > 1
    thread = PostThread.objects.get(pk=commented.pk)
    assert (thread.comment_count, thread.last_number) == (COMMENTS - len(deleted), COMMENTS)
    assert not Comment.objects.filter(post=empty).exists()
    assert not Event.objects.filter(status=EventStatus.PENDING).exists()

    page = client.get(commented.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert f"{COMMENTS - len(deleted)} comments" in text
    with_replies = [c for c in deleted if c.get_children().exists()]
    assert text.count("This comment was deleted by its author.") == len(with_replies) >= 1
    assert "No comments yet." in client.get(empty.url).content.decode()

    names = dict(line.split(None, 1) for line in seeded.read_text().splitlines())
    assert {"index", "hot_first", "space", "post500", "post0"} <= set(names)  # the forum's lines kept
    assert (names["space"], names["post500"], names["post0"]) == (space.url, commented.url, empty.url)
    assert client.get(names["space"]).status_code == 200


def test_the_plan_is_fixed_and_uses_fifty_commenters():
    assert thread_plan(500) == thread_plan(500)
    assert len(set(commenter_numbers())) == COMMENTERS == 50
    plan = thread_plan(500)
    assert plan["parents"][0] is None and len(plan["deleted"]) == 10


def test_it_refuses_to_seed_twice_unless_reset(seeded):
    with pytest.raises(CommandError, match="exists already"):
        call_command("seed_bench_blog", "--posts", "2", "--comments", "10", urls_file=str(seeded))

    call_command("seed_bench_blog", "--reset", "--posts", "2", "--comments", "10", urls_file=str(seeded))

    space = SpacePage.objects.get(title="Bench column")
    assert SpacePostPage.objects.child_of(space).count() == 2
    assert Comment.objects.count() == 10


def test_it_needs_the_forum_dataset_first(tmp_path):
    with pytest.raises(CommandError, match="seed_bench"):
        call_command("seed_bench_blog", "--posts", "2", "--comments", "10", urls_file=str(tmp_path / "u.txt"))
