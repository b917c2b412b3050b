"""Read permission on every URL of the history area: a page for community managers only
(read_level 3) and a deleted page are never told to visitors or members — 404 on the page's URLs,
absent from lists and the feed — while community managers see them."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import UserFactory
from wiki.models import Page
from wiki.services.editing import create_page, save_revision

pytestmark = pytest.mark.django_db
SECRET_TITLE = "Zanzibar plans"
SECRET_TEXT = "quokka-marker"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture(params=["cms_only", "deleted"])
def secret(request, wiki_root, cm):
    writer = UserFactory(username="writer")
    page = create_page(actor=cm, parent=wiki_root, title=SECRET_TITLE, body=f"{SECRET_TEXT} one").page
    save_revision(actor=writer, page=page, body=f"{SECRET_TEXT} two", base=1, summary=f"{SECRET_TEXT} summary")
    change = {"read_level": 3} if request.param == "cms_only" else {"is_deleted": True}
    Page.objects.filter(pk=page.pk).update(**change)
    return Page.objects.get(pk=page.pk)


def page_urls(page):
    return [
        reverse("wiki:history", args=[page.path]),
        reverse("wiki:revision", args=[page.path, 1]),
        reverse("wiki:diff", args=[page.path]),
        reverse("wiki:diff", args=[page.path]) + "?from=1&to=2&view=side",
        reverse("wiki:revert", args=[page.path, 1]),
    ]


def list_urls():
    return [reverse("wiki:recent"), reverse("wiki:recent") + "?member=writer", reverse("wiki:recent_feed"),
            reverse("wiki:contributions", args=["writer"]),
            reverse("community:profile", args=["writer"]) + "?tab=wiki.edits"]


@pytest.mark.parametrize("who", ["visitor", "member", "writer"])
def test_visitors_and_members_never_see_it(client, secret, who, member):
    if who == "member":
        client.force_login(member)
    elif who == "writer":
        from community.models import User

        client.force_login(User.objects.get(username="writer"))  # wrote an edit of it, still no access
    for url in page_urls(secret):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SECRET_TEXT not in response.content.decode() and SECRET_TITLE not in response.content.decode()
    revert = client.post(reverse("wiki:revert", args=[secret.path, 1]))
    assert revert.status_code == 404
    for url in list_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert SECRET_TITLE not in body and SECRET_TEXT not in body, url
    assert Page.objects.get(pk=secret.pk).revision_count == 2


def test_community_managers_see_it(client, secret, cm):
    client.force_login(cm)
    for url in page_urls(secret):
        response = client.get(url)
        assert response.status_code in (200, 403), url  # a deleted page is not editable: its revert is 403
        if response.status_code == 200:
            assert SECRET_TITLE in response.content.decode(), url
    assert SECRET_TEXT in client.get(reverse("wiki:revision", args=[secret.path, 2])).content.decode()
    for url in list_urls():
        assert SECRET_TITLE in client.get(url).content.decode(), url


@pytest.mark.parametrize("size", [3, 30])
def test_the_page_urls_cost_a_fixed_number_of_queries(client, wiki_root, cm, size, django_assert_max_num_queries):
    writer = UserFactory(username="writer")
    page = create_page(actor=cm, parent=wiki_root, title="Long", body="0").page
    for n in range(1, size):
        save_revision(actor=writer, page=page, body=f"{n}\n" * n, base=n)
    client.force_login(cm)
    for url in page_urls(page) + list_urls():
        client.get(url)
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200, url
