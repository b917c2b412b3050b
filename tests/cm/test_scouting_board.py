"""The talent board (/cm/talent/): who may see it, its empty state, its rows (why, best pieces,
skills, registered actions), its filters and their bad values, its pages, its query count at 10
and 1,000 members; and every scouting URL refused to members and contributors."""

import pytest
from django.urls import URLPattern, reverse

from cm.models import MemberNote, TalentRun, TalentScore
from cm.scouting import card, scoring
from cm.scouting.urls import urlpatterns
from community.models import MemberSkill, User
from moderation.models import AuditLogEntry
from tests.factories import ForumFactory, ReplyFactory, TopicFactory, UserFactory

BOARD = "/cm/talent/"


@pytest.fixture
def target(db, cm):
    member = UserFactory(username="target")
    skill = MemberSkill.objects.create(user=member, skill="photo")
    note = MemberNote.objects.create(member=member, author=cm, body="Secret scouting note")
    return {"member": member, "skill": skill, "note": note}


def url_of(pattern, target):
    kwargs = {"username": target["member"].username, "skill_id": target["skill"].pk, "note_id": target["note"].pk}
    return reverse(f"cm:{pattern.name}", kwargs={key: kwargs[key] for key in pattern.pattern.converters})


SCOUTING = [pattern for pattern in urlpatterns if isinstance(pattern, URLPattern)]
POST_ONLY = {"talent_run", "skill_verify", "note_add", "note_delete"}


def test_every_scouting_url_is_known():
    assert {pattern.name for pattern in SCOUTING} == {"talent", "talent_run", "member", "skill_verify",
                                                      "note_add", "note_delete"}


@pytest.mark.parametrize("who", ["member", "contributor"])
@pytest.mark.parametrize("pattern", SCOUTING, ids=lambda pattern: pattern.name)
def test_members_and_contributors_get_403_and_nothing_changes(who, pattern, target, client, request):
    client.force_login(request.getfixturevalue(who))
    url = url_of(pattern, target)
    audit = AuditLogEntry.objects.count()

    if pattern.name in POST_ONLY:
        response = client.post(url, {"verified": "1", "body": "A note"})
    else:
        response = client.get(url)

    assert response.status_code == 403
    assert AuditLogEntry.objects.count() == audit
    assert MemberNote.objects.count() == 1 and not MemberSkill.objects.get().is_verified
    assert not TalentRun.objects.exists()


@pytest.mark.parametrize("pattern", SCOUTING, ids=lambda pattern: pattern.name)
def test_a_visitor_is_sent_to_the_login_page(pattern, target, client):
    url = url_of(pattern, target)
    response = client.post(url) if pattern.name in POST_ONLY else client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_before_the_first_run_the_board_says_so_and_a_cm_can_run_it(cm, client, django_capture_on_commit_callbacks):
    forum = ForumFactory()
    TopicFactory(forum=forum, author=UserFactory(username="writer"))
    client.force_login(cm)

    page = client.get(BOARD).content.decode()
    assert "Scores are computed nightly; last run: never." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cm:talent_run"))
    assert response.status_code == 302
    page = client.get(BOARD).content.decode()
    assert "last run: never" not in page and "@writer" in page
    assert AuditLogEntry.objects.filter(action="talent_scores_run", actor=cm).exists()


def test_a_row_says_why_links_the_best_pieces_shows_skills_and_the_registered_actions(cm, client, monkeypatch):
    monkeypatch.setattr(card, "_actions", {})
    card.register_action("cast", label="Cast", url=lambda member: f"/cm/cast/{member.username}/")
    author = UserFactory(username="author")
    MemberSkill.objects.create(user=author, skill="photo", verified_by=cm, verified_at="2026-01-01T00:00Z")
    MemberSkill.objects.create(user=author, skill="video")
    topic = TopicFactory(forum=ForumFactory(), author=author, title="Night photography")
    for _ in range(3):
        ReplyFactory(topic=topic, author=UserFactory())
    scoring.compute()
    client.force_login(cm)

    page = client.get(BOARD).content.decode()

    assert "drew 3 replies to their topics" in page
    assert f'href="/forums/p/{topic.first_post_id}/">Night photography</a>' in page
    assert 'class="badge skill-verified">Photography ✓' in page and 'class="badge">Video</li>' in page
    assert 'href="/cm/cast/author/">Cast</a>' in page
    assert f'href="{reverse("cm:member", args=["author"])}"' in page


@pytest.fixture
def scored(db):
    """Scores as the job leaves them: camille posts photos in forum 1, bob writes text in forum 2."""
    camille, bob = UserFactory(username="camille"), UserFactory(username="bob")
    MemberSkill.objects.create(user=camille, skill="photo", verified_at="2026-01-01T00:00Z")
    MemberSkill.objects.create(user=bob, skill="photo")
    TalentScore.objects.create(member=camille, period=90, score=20, media_keys="|images|text|",
                               area_keys="|forums.forum:1|")
    TalentScore.objects.create(member=bob, period=90, score=10, media_keys="|text|", area_keys="|forums.forum:2|")
    TalentScore.objects.create(member=bob, period=30, score=5, media_keys="|text|", area_keys="|forums.forum:2|")
    TalentRun.objects.create(finished_at="2026-01-01T03:15Z", members=2)
    ForumFactory(name="Photos")  # the area filter offers every forum
    return {"camille": camille, "bob": bob}


@pytest.mark.parametrize(("query", "shown"), [
    ({}, ["camille", "bob"]),
    ({"period": "30"}, ["bob"]),
    ({"media": "images"}, ["camille"]),
    ({"skill": "photo"}, ["camille", "bob"]),
    ({"skill": "photo", "verified": "on"}, ["camille"]),
    ({"verified": "on"}, ["camille"]),  # verified only, whatever the skill
])
def test_the_filters(query, shown, scored, cm, client):
    client.force_login(cm)
    page = client.get(BOARD, query).content.decode()
    assert [name for name in ("camille", "bob") if f"@{name}<" in page] == shown


def test_the_area_filter(scored, cm, client):
    from forums.models import Forum

    forum = Forum.objects.get()
    TalentScore.objects.filter(member=scored["bob"]).update(area_keys=f"|forums.forum:{forum.pk}|")
    TalentScore.objects.filter(member=scored["camille"]).update(area_keys=f"|forums.forum:{forum.pk + 1}|")
    client.force_login(cm)
    page = client.get(BOARD, {"area": f"forums.forum:{forum.pk}"}).content.decode()
    assert "@bob<" in page and "@camille<" not in page


@pytest.mark.parametrize("query", [{"period": "7"}, {"period": "x"}, {"media": "smell"}, {"skill": "juggling"},
                                   {"area": "forums.forum:999999"}])
def test_a_bad_filter_is_a_clear_400(query, scored, cm, client):
    client.force_login(cm)
    response = client.get(BOARD, query)
    assert response.status_code == 400
    assert "These filters are not valid" in response.content.decode()


def test_an_unknown_page_is_a_404(scored, cm, client):
    client.force_login(cm)
    assert client.get(BOARD, {"page": "9"}).status_code == 404
    assert client.get(BOARD, {"page": "two"}).status_code == 404


@pytest.mark.parametrize("size", [10, 1000])
def test_the_board_renders_in_a_fixed_number_of_queries(size, cm, client, django_assert_num_queries):
    users = User.objects.bulk_create(User(username=f"scout{index}", email=f"scout{index}@example.com")
                                     for index in range(size))
    users = list(User.objects.filter(username__startswith="scout"))
    TalentScore.objects.bulk_create(
        TalentScore(member=user, period=90, score=index % 50, media_keys="|text|",
                    signals=[{"name": "forums.posts", "value": 3, "points": 2}],
                    pieces=[{"title": "A piece", "url": "/forums/p/1/", "score": 3, "kind": "Reply"}])
        for index, user in enumerate(users))
    MemberSkill.objects.bulk_create(MemberSkill(user=user, skill="photo") for user in users)
    TalentRun.objects.create(finished_at="2026-01-01T03:15Z", members=size)
    ForumFactory()
    client.force_login(cm)
    client.get(BOARD)  # warm Wagtail's and the site's caches

    # the forums and the spaces (area filter), last run, count, page, skills (the user and their roles
    # come from the cache, read by the first page: community.signed_in)
    with django_assert_num_queries(6):
        response = client.get(BOARD, {"media": "text"})

    assert response.status_code == 200
    assert response.content.decode().count("3 forum posts") == min(size, 20)  # 20 a page
