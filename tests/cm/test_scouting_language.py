"""The talent board and the member card speak the reader's language: the nightly job stores names and
numbers (a signal's name and value, a piece's kind), the words and the decimals are chosen when the
page is drawn."""

import pytest
from django.urls import reverse
from django.utils import translation

from cm.models import TalentRun, TalentScore
from cm.scouting import scoring
from forums.models import Post
from tests.factories import ForumFactory, ReplyFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}


def test_the_job_stores_the_pieces_kind_names_not_words():
    author = UserFactory(username="author")
    topic = TopicFactory(forum=ForumFactory(), author=author, title="Night photography")
    ReplyFactory(topic=topic, author=UserFactory())
    other = TopicFactory(forum=ForumFactory(), author=UserFactory(), title="Lenses")
    reply = ReplyFactory(topic=other, author=author)
    Post.objects.filter(pk=reply.pk).update(reaction_count=4)

    with translation.override("fr"):
        scoring.compute()

    stored = TalentScore.objects.get(member=author, period=30)
    assert {piece["kind"] for piece in stored.pieces} == {"forums.topic", "forums.reply"}


@pytest.fixture
def scored(db):
    member = UserFactory(username="camille")
    TalentScore.objects.create(
        member=member, period=365, score=12, media_keys="|text|",
        signals=[{"name": "forums.likes_per_post", "value": 2.5, "points": 6}],
        pieces=[{"title": "Night photography", "url": "/forums/p/1/", "score": 9, "kind": "forums.topic"},
                {"title": "Lenses #2", "url": "/forums/p/2/", "score": 4, "kind": "forums.reply"},
                {"title": "Old row", "url": "/forums/p/3/", "score": 1, "kind": "Space post"}])
    TalentRun.objects.create(finished_at="2026-01-01T03:15Z", members=1)
    return member


@pytest.mark.parametrize("page", ["board", "card"])
def test_in_french_pieces_and_reasons_are_french_with_a_decimal_comma(page, scored, cm, client):
    client.force_login(cm)
    url = "/cm/talent/?period=365" if page == "board" else reverse("cm:member", args=[scored.username])

    french = client.get(url, **FRENCH).content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "2,5 j&#x27;aime par message" in french and "2.5" not in french
    assert "(Sujet)" in french and "(Réponse)" in french and "(Répondre)" not in french
    assert "(Space post)" in french  # a label stored before kinds had names is shown as stored
    assert "2.5 likes per post" in english and "(Topic)" in english and "(Reply)" in english
