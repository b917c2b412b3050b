"""Watched words see through look-alike letters (moderation/watched/lookalikes.py): a Cyrillic or
Greek letter drawn like a Latin one, or a compatibility form, does not hide a word — while
ordinary Russian and Greek text never matches a Latin word it merely resembles."""

import pytest
from django.urls import reverse

from forums.models import Post
from moderation import watched


def word(phrase, action):
    return watched.create_word(phrase=phrase, action=action, enabled=True, watchers=())


def found(text):
    return sorted(rule.phrase for rule in watched.matcher().find(text))


@pytest.mark.parametrize("text", [
    "that is b\u0430d",  # Cyrillic а
    "that is \u0412AD",  # Cyrillic В, upper case
    "that is b\u03b1d",  # Greek alpha
    "that is \U0001d41b\U0001d41a\U0001d41d",  # mathematical bold 𝐛𝐚𝐝 (compatibility form)
    "that is \u24d1\u24d0\u24d3",  # circled ⓑⓐⓓ
    "that is b\u0430\u200bd",  # a look-alike and an invisible character together
])
def test_a_look_alike_spelling_of_a_watched_word_matches(db, text):
    word("bad", "block")
    assert found(text) == ["bad"]


@pytest.mark.parametrize("text", [
    "ca\u0455\u0456no night",  # Cyrillic dze and Ukrainian i
    "\u0441asino night",  # Cyrillic es at the start
    "casin\u03bf night",  # Greek omicron at the end
])
def test_swapped_letters_anywhere_in_the_word_are_caught(db, text):
    word("casino", "block")
    assert found(text) == ["casino"]


@pytest.mark.parametrize("text", [
    "Закрой рот, пожалуйста.",  # "shut your mouth": рот is drawn like "pot"
    "рот",  # a one-word Russian text (a display name, a location)
    "Όχι, ευχαριστώ",  # Greek "no, thank you": όχι is drawn like "oxi"
    "Всё хорошо, мама",  # everyday Russian
])
def test_ordinary_russian_and_greek_text_does_not_match_a_latin_word(db, text):
    word("pot", "block")
    word("oxi", "block")
    word("mama", "block")
    assert found(text) == []


def test_a_latin_word_written_wholly_in_cyrillic_inside_english_text_is_a_disguise(db):
    word("pot", "block")
    assert found("Buy cheap \u0440\u043e\u0442 here") == ["pot"]  # рот among English words


def test_a_cyrillic_watched_word_catches_its_latin_look_alike_spelling(db):
    word("рот", "alert")
    assert found("Закрой рот") == ["рот"]
    assert found("Закрой p\u043et") == ["рот"]  # Latin p and t around a Cyrillic о
    assert found("a pot of tea") == []  # plain English is not a Russian word


def test_censoring_masks_a_look_alike_spelling_and_leaves_russian_alone(db):
    word("idiot", "censor")
    word("pot", "censor")
    assert watched.mask("<p>you \u0456di\u043et</p>", is_html=True) == "<p>you ■■■■■</p>"
    assert watched.mask("<p>Закрой рот</p>", is_html=True) == "<p>Закрой рот</p>"
    assert watched.mask("<p>рот</p>", is_html=True) == "<p>рот</p>"  # the tags are not English text


def test_the_rule_test_finds_the_same_look_alikes(forum, regular, django_capture_on_commit_callbacks):
    from tests.factories import TopicFactory

    with django_capture_on_commit_callbacks(execute=True):
        TopicFactory(forum=forum, author=regular, title="Deals", body="The best c\u0430sino in town")
        TopicFactory(forum=forum, author=regular, title="Привет", body="Закрой рот")

    assert watched.preview_rule("casino").total == 1
    assert watched.preview_rule("pot").total == 0


def test_a_reply_with_a_look_alike_blocked_word_is_refused_and_kept(topic, member, client):
    word("viagra", "block")
    client.force_login(member)
    body = "cheap vi\u0430gr\u0430 here"

    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": body})

    assert response.status_code == 400
    assert "not allowed here" in response.content.decode()
    assert body in response.content.decode()
    assert not Post.objects.filter(body=body).exists()


# --- spaced, dotted and digit spellings (found by an outside probe) ----------------------------------

@pytest.mark.parametrize("text", [
    "buy f r o b n i c a t e now", "f.r.o.b.n.i.c.a.t.e", "f-r-o-b-n-i-c-a-t-e", "f_r_o_b_n_i_c_a_t_e",
    "f - r - o - b - n - i - c - a - t - e", "f\u00a0r\u00a0o\u00a0b\u00a0n\u00a0i\u00a0c\u00a0a\u00a0t\u00a0e",
    "f\u3000r\u3000o\u3000b\u3000n\u3000i\u3000c\u3000a\u3000t\u3000e", "f\nr\no\nb\nn\ni\nc\na\nt\ne",
    "fr0bnicate", "frobn1cate", "FR0BN1C4TE", "f r 0 b n 1 c a t e",
])
def test_a_spaced_dotted_or_digit_spelling_matches(db, text):
    word("frobnicate", "block")
    assert found(text) == ["frobnicate"]


@pytest.mark.parametrize(("phrase", "text"), [
    ("cart", "the car tax is due"),      # a split anywhere but between every letter is ordinary text
    ("lol", "room 101"),                 # a number never reads as a word
    ("spam", "s p a"),                   # not the whole word
    ("frobnicate", "f r o.b n i c a t e"),  # separators that change are not one spaced-out word
    ("bad", "b a d"),                    # three letters are too few to spell out safely
])
def test_ordinary_text_does_not_match_a_spaced_or_digit_spelling(db, phrase, text):
    word(phrase, "block")
    assert found(text) == []


def test_a_spaced_out_blocked_word_is_refused_in_a_reply_title_and_profile(client, member, db):
    from tests.factories import ForumFactory

    word("frobnicate", "block")
    forum = ForumFactory(name="Bikes", slug="bikes")
    client.force_login(member)
    response = client.post(reverse("forums:topic_create", args=[forum.pk, forum.slug]),
                           {"title": "Cheap f.r.o.b.n.i.c.a.t.e", "body": "Hello"})
    assert response.status_code == 400
    response = client.post(reverse("community:profile_edit"), {"display_name": "", "language": "",
                                                               "bio": "f r o b n i c a t e", "website": "",
                                                               "location": ""})
    assert response.status_code == 400
    assert not Post.objects.exists()
