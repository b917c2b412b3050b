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


def headers():
    return [key for key in shell._visitors if key[0] != "footer"]


def current_link(html):
    return [line for line in html.splitlines() if 'aria-current="page"' in line]


def test_a_visitors_header_marks_the_section_and_is_reused_per_language_and_section(client):
    forums = client.get("/forums/").content.decode()
    wiki = client.get("/wiki/").content.decode()
    french = client.get("/forums/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Forums</a>" in current_link(forums)[0] and "Wiki</a>" in current_link(wiki)[0]
    assert "Log in" in forums and "Sign up" in forums and "Log out" not in forums
    assert "Se connecter" in french or 'lang="fr"' in french
    assert len(headers()) == 3
    assert client.get("/forums/?page=1").content.decode().count('class="site-header"') == 1
    assert len(headers()) == 3  # the same section and language: the same header


def test_a_members_header_is_their_own_and_never_shared(client, member, cm):
    client.force_login(member)
    mine = client.get("/forums/").content.decode()
    client.force_login(cm)
    theirs = client.get("/forums/").content.decode()

    assert member.username in mine and "Log out" in mine and "Sign up" not in mine
    assert cm.username in theirs and member.username not in theirs.split("</header>")[0]
    assert "Moderation</a>" in theirs.split("</header>")[0] and "Moderation</a>" not in mine.split("</header>")[0]
    assert shell._visitors == {}


def test_a_visitors_footer_is_kept_once_and_carries_each_pages_own_address_escaped(client, settings):
    settings.PAGE_CACHE_ENABLED = False  # each address rendered, not served from the page cache
    first = client.get("/forums/").content.decode()
    hostile = client.get('/forums/?next="><script>x</script>').content.decode()

    assert 'name="next" value="/forums/"' in first
    assert 'name="next" value="/forums/?next=%22%3E%3Cscript%3Ex%3C/script%3E"' in hostile
    assert "<script>x</script>" not in hostile
    assert len([key for key in shell._visitors if key[0] == "footer"]) == 1
    assert shell.NEXT_SLOT not in first + hostile


def test_a_members_footer_form_carries_their_token(client, member):
    client.force_login(member)

    page = client.get("/wiki/").content.decode()

    footer = page.split('<footer class="site-footer"')[1]
    assert 'name="csrfmiddlewaretoken"' in footer and 'name="next" value="/wiki/"' in footer
    assert not [key for key in shell._visitors if key[0] == "footer"]
