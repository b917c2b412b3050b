"""text.split_quoted and text.find_links(bare=True): whose words a post holds, and where it sends its
readers — an address written without "https://" included, not file names, e-mail domains or a
defanged address quoted in a warning."""

import pytest

from moderation.spam.text import find_links, split_quoted


def test_quote_lines_are_the_quoted_words():
    own, quoted = split_quoted("> Win 500 € a day, write to me!\n>> nested too\n   > indented\n\nThis is a scam.")

    assert quoted.splitlines() == ["Win 500 € a day, write to me!", "nested too", "indented"]
    assert own.strip() == "This is a scam."


def test_four_spaces_before_the_mark_is_code_not_a_quote():
    own, quoted = split_quoted("    > not a quote")

    assert quoted == ""
    assert "not a quote" in own


@pytest.mark.parametrize(("marks", "words"), [
    ("“{}”", "your account will be closed"),
    ("«{}»", "votre compte sera fermé"),
    ("« {} »", "votre compte sera fermé"),
    ('"{}"', "click here to claim"),
    ("„{}“", "jetzt kaufen"),
])
def test_words_between_quotation_marks_are_reported_speech(marks, words):
    own, quoted = split_quoted("The message said " + marks.format(words) + " and I deleted it.")

    assert quoted.strip() == words
    assert words not in own
    assert own.startswith("The message said ") and own.endswith(" and I deleted it.")


def test_code_is_neither_own_words_nor_quoted():
    text = "Here is my config:\n```\ncasino = 'free money'\n```\n~~~\nmore code\n~~~\nThen run `pip install casino` and done."

    own, quoted = split_quoted(text)

    assert "casino" not in own and "more code" not in own
    assert quoted == ""
    assert "Here is my config:" in own and "and done." in own


def test_an_unclosed_fence_hides_the_rest_as_code():
    own, _quoted = split_quoted("Before\n```\nall of this is code\nstill code")

    assert own == "Before"


def test_a_lone_quotation_mark_quotes_nothing():
    own, quoted = split_quoted('He is 6\'2" tall and said “hello')

    assert quoted == ""
    assert own == 'He is 6\'2" tall and said “hello'


def test_empty_text():
    assert split_quoted("") == ("", "")
    assert split_quoted(None) == ("", "")


def domains(text):
    return [domain for _url, domain in find_links(text, bare=True)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Go to quick-cash.top/win now", ["quick-cash.top"]),
    ("Vitrier pas cher : vitrier-lille.fr", ["vitrier-lille.fr"]),
    ("see www.example.org.", ["example.org"]),
    ("Example.COM/Path?x=1", ["example.com"]),
    ("shop at a.b.best-deals.shop, today", ["a.b.best-deals.shop"]),
    ("Bare shortener: bit.ly/abc123", ["bit.ly"]),
])
def test_bare_addresses_on_listed_top_level_domains_are_links(text, expected):
    assert domains(text) == expected


def test_without_bare_only_clickable_links_count():
    text = "https://example.org/x, quick-cash.top/win and bit.ly/abc"

    assert [domain for _url, domain in find_links(text)] == ["example.org", "bit.ly"]
    assert domains(text) == ["example.org", "bit.ly", "quick-cash.top"]


@pytest.mark.parametrize(("text", "expected"), [
    ("quick-cash dot com", "quick-cash.com"),
    ("quick-cash (dot) com", "quick-cash.com"),
    ("quick-cash [dot] xyz", "quick-cash.xyz"),
    ("Mon-Site point fr", "mon-site.fr"),
    ("bestpills DOT net", "bestpills.net"),
])
def test_a_spelled_out_dot_makes_a_link(text, expected):
    assert domains(f"Visit {text} today") == [expected]


@pytest.mark.parametrize("text", [
    "Edit settings.py, then read README.md and run build.sh",
    "I use node.js and vue.js, and main.rs, index.ts, style.css, script.pl",
    "version 1.2.3, IP 192.168.0.1, pi = 3.14",
    "Mail me at jean.dupont@example.com or contact@vitrier-lille.fr",
    "Do not visit scam[.]xyz or hxxp://scam(.)top, it's a phishing site",
    "end of sentence.Next sentence",
    "the dot product and the point of it",
])
def test_files_emails_and_defanged_addresses_are_not_links(text):
    assert domains(text) == []


def test_mail_links_give_their_domain_and_bare_addresses_do_not():
    links = find_links("[write](mailto:me@mail.example.com?subject=hi) <you@other.example.org> me@plain.example.net",
                       bare=True)

    assert [domain for _url, domain in links] == ["mail.example.com", "other.example.org"]
    assert all(url.startswith("mailto:") for url, _domain in links)


def test_the_same_link_written_and_clickable_is_not_found_twice_as_bare():
    assert domains("https://quick-cash.top/win") == ["quick-cash.top"]
