"""The talent scores: quality over volume, moderation signals subtract, the windows, the why and the
best pieces, the blogs' signals, the nightly job (idempotent, stale rows removed)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from blogs.comments import add_comment
from blogs.models import SpacePostPage
from blogs.services import create_space, set_follow
from cm.models import TalentRun, TalentScore
from cm.scouting import scoring, selectors
from cm.tasks import compute_talent_scores
from community import content
from forums.models import Post, Reaction
from moderation import sanctions
from tests.factories import ForumFactory, ReplyFactory, TopicFactory, UserFactory


def like(post, count):
    """`count` likes on a post from members made for it (as the like service leaves them)."""
    Reaction.objects.bulk_create(Reaction(post=post, user=UserFactory()) for _ in range(count))
    Post.objects.filter(pk=post.pk).update(reaction_count=count)


def score(member, period=90):
    return TalentScore.objects.get(member=member, period=period)


@pytest.fixture
def forum(db):
    return ForumFactory(name="Photography")


def test_five_excellent_posts_beat_a_hundred_ignored_ones(forum):
    talented, prolific = UserFactory(username="talented"), UserFactory(username="prolific")
    topic = TopicFactory(forum=forum, author=UserFactory())
    for _ in range(5):
        like(ReplyFactory(topic=topic, author=talented), 10)
    for index in range(100):
        ReplyFactory(topic=topic, author=prolific, body=f"Me too, number {index}.")

    scoring.compute()

    assert score(talented).score > score(prolific).score
    why = [item.text for item in selectors.why_of(score(talented))]
    assert "10.0 likes per post" in why
    assert any(text == "100 forum posts" for text in [item.text for item in selectors.why_of(score(prolific), 8)])


def test_a_sanction_lowers_a_score(forum, cm):
    first, second = UserFactory(username="first"), UserFactory(username="second")
    topic = TopicFactory(forum=forum, author=UserFactory())
    for author in (first, second):
        like(ReplyFactory(topic=topic, author=author, body=f"A good answer by {author.username}"), 4)
    sanctions.sanction_member(actor=cm, member=second, kind="silence", reason="Insults", days=3)

    scoring.compute()

    assert score(second).score < score(first).score
    assert "silenced 1 time" in [item.text for item in selectors.why_of(score(second), 8)]
    assert [item.negative for item in selectors.why_of(score(second), 8) if item.text == "silenced 1 time"] == [True]


def test_removed_content_lowers_a_score(forum):
    first, second = UserFactory(username="first"), UserFactory(username="second")
    topic = TopicFactory(forum=forum, author=UserFactory())
    for author in (first, second):
        ReplyFactory(topic=topic, author=author, body=f"Answer by {author.username}")
    removed = ReplyFactory(topic=topic, author=second, body="Buy cheap watches")
    content.kind_for(removed).remove(removed)

    scoring.compute()

    assert score(second).score < score(first).score
    assert "1 piece removed by moderators" in [item.text for item in selectors.why_of(score(second), 8)]


def test_the_periods_count_what_happened_in_them(forum):
    member = UserFactory()
    topic = TopicFactory(forum=forum, author=UserFactory())
    old = ReplyFactory(topic=topic, author=member, body="An old answer")
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=60))

    scoring.compute()

    assert not TalentScore.objects.filter(member=member, period=30).exists()
    assert score(member, 90).signals[0]["name"] in {"forums.posts", "talent.consistency"}
    assert len(score(member, 365).weekly) == 53 and sum(score(member, 365).weekly) == 1


def test_replies_accepted_answers_areas_media_and_best_pieces(forum, cm):
    asker, expert = UserFactory(username="asker"), UserFactory(username="expert")
    questions = ForumFactory(name="Questions", is_questions=True)
    topic = TopicFactory(forum=questions, author=asker, title="Which lens for portraits?")
    answer = ReplyFactory(topic=topic, author=expert, body="An 85 mm. ![sample](https://example.com/a.jpg)")
    ReplyFactory(topic=topic, author=UserFactory(), body="Agreed, the 85 mm.")
    from forums import services

    services.accept_answer(actor=asker, topic=topic, post=answer)
    like(answer, 3)

    scoring.compute()

    expert_score, asker_score = score(expert), score(asker)
    names = {item["name"]: item["value"] for item in expert_score.signals}
    assert names["forums.accepted_answers"] == 1 and names["forums.likes_per_post"] == 3
    assert {item["name"]: item["value"] for item in asker_score.signals}["forums.replies_drawn"] == 2
    assert expert_score.media == ["images", "text"]
    assert f"|forums.forum:{questions.pk}|" in expert_score.area_keys
    assert expert_score.pieces[0]["url"] == f"/forums/p/{answer.pk}/"
    assert expert_score.pieces[0]["score"] == 3 + 5  # likes and the accepted answer's bonus
    assert asker_score.pieces[0]["title"] == "Which lens for portraits?"


def test_a_space_brings_posts_comments_followers_and_its_media(cm):
    host, fan = UserFactory(username="host"), UserFactory(username="fan")
    space = create_space(actor=cm, owner=host, kind="podcast", title="Voices")
    post = SpacePostPage(title="Episode one", owner=host)
    space.add_child(instance=post)
    post.save_revision(user=host).publish(user=host)
    post = SpacePostPage.objects.get(pk=post.pk)
    add_comment(actor=fan, post=post, body="Loved it.")
    add_comment(actor=UserFactory(), post=post, body="Me too.")
    add_comment(actor=host, post=post, body="Thank you both!")  # the host's own answer does not count
    set_follow(actor=fan, space=space, following=True)

    scoring.compute()

    found = score(host)
    names = {item["name"]: item["value"] for item in found.signals}
    assert names["blogs.posts"] == 1 and names["blogs.comments_per_post"] == 2 and names["blogs.followers"] == 1
    assert "audio" in found.media
    assert found.area_keys == f"|blogs.space:{space.pk}|"
    assert found.pieces[0]["title"] == "Episode one" and found.pieces[0]["url"].endswith("/episode-one/")


def test_the_job_is_idempotent_and_drops_members_no_longer_active(forum):
    member, gone = UserFactory(), UserFactory()
    topic = TopicFactory(forum=forum, author=member)
    reply = ReplyFactory(topic=topic, author=gone)

    compute_talent_scores.delay()  # the Celery task (eager in tests)
    first = set(TalentScore.objects.values_list("member_id", "period", "score"))
    compute_talent_scores.delay()

    assert set(TalentScore.objects.values_list("member_id", "period", "score")) == first
    assert TalentScore.objects.filter(member=gone).count() == 3
    Post.objects.filter(pk=reply.pk).update(created_at=timezone.now() - timedelta(days=400))
    scoring.compute()
    assert not TalentScore.objects.filter(member=gone).exists()
    assert TalentRun.objects.count() == 3 and TalentRun.objects.first().members == 1


def test_an_inactive_account_is_not_scored(forum):
    member = UserFactory()
    TopicFactory(forum=forum, author=member)
    member.is_active = False
    member.save(update_fields=["is_active"])

    scoring.compute()

    assert not TalentScore.objects.filter(member=member).exists()


def test_a_run_still_going_is_not_doubled_and_a_dead_one_does_not_block(forum):
    TopicFactory(forum=forum, author=UserFactory())
    going = TalentRun.objects.create()

    assert scoring.compute() == going
    assert not TalentScore.objects.exists()

    TalentRun.objects.filter(pk=going.pk).update(started_at=timezone.now() - timedelta(hours=1))
    run = scoring.compute()
    assert run != going and run.finished_at is not None and TalentScore.objects.count() == 3
