"""The page shell's header ({% site_header %}): a visitor's is rendered once per language and
section and reused; a member's is their own on every request."""

import pytest

from community.templatetags import shell

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    shell._visitors.clear()
    yield
    shell._visitors.clear()


def current_link(html):
    return [line for line in html.splitlines() if 'aria-current="page"' in line]


def test_a_visitors_header_marks_the_section_and_is_reused_per_language_and_section(client):
    forums = client.get("/forums/").content.decode()
    wiki = client.get("/wiki/").content.decode()
    french = client.get("/forums/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Forums</a>" in current_link(forums)[0] and "Wiki</a>" in current_link(wiki)[0]
    assert "Log in" in forums and "Sign up" in forums and "Log out" not in forums
    assert "Se connecter" in french or 'lang="fr"' in french
    assert len(shell._visitors) == 3
    assert client.get("/forums/?page=1").content.decode().count('class="site-header"') == 1
    assert len(shell._visitors) == 3  # the same section and language: the same header


def test_a_members_header_is_their_own_and_never_shared(client, member, cm):
    client.force_login(member)
    mine = client.get("/forums/").content.decode()
    client.force_login(cm)
    theirs = client.get("/forums/").content.decode()

    assert member.username in mine and "Log out" in mine and "Sign up" not in mine
    assert cm.username in theirs and member.username not in theirs.split("</header>")[0]
    assert "Moderation</a>" in theirs.split("</header>")[0] and "Moderation</a>" not in mine.split("</header>")[0]
    assert shell._visitors == {}
