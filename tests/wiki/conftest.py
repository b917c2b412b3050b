import pytest

from tests.factories import UserFactory


@pytest.fixture
def wiki_cm(db):
    return UserFactory(username="wikicm", roles=["Community managers"])


@pytest.fixture
def wiki_root(wiki_cm):
    from wiki.services.editing import create_page

    return create_page(actor=wiki_cm, parent=None, title="Home", body="Welcome to the wiki.").page
