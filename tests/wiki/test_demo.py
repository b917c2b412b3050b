"""The demo wiki (manage.py seed_demo): bilingual, several authors, a minor edit, a red link, a
protected page, a watch; seeding twice adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from wiki.models import Page, PageLog, Revision, Watch

pytestmark = pytest.mark.django_db


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_wiki_is_bilingual_with_history_a_red_link_and_a_protected_page():
    assert "wiki:" in seed()
    paths = set(Page.objects.values_list("path", flat=True))
    assert {"", "guides/", "guides/getting-started/", "guides/premiers-pas/", "guides/writing-good-posts/",
            "guides/bien-ecrire/", "community-rules/"} <= paths
    root = Page.objects.get(path="")
    assert "Bienvenue" in root.body_html and "Welcome" in root.body_html
    assert "[[guides/faq" in root.current_revision.body and "guides/faq/" not in paths  # a red link
    started = Page.objects.get(path="guides/getting-started/")
    revisions = list(started.revisions.order_by("number").select_related("author"))
    assert len(revisions) == 4 and started.current_revision_id == revisions[-1].pk
    assert {revision.author.username for revision in revisions} == {"member", "contributor", "cm"}
    assert [revision.minor for revision in revisions] == [False, False, True, False]
    assert all(a.created_at < b.created_at for a, b in zip(revisions, revisions[1:], strict=False))
    rules = Page.objects.get(path="community-rules/")
    assert rules.edit_level == 3 and "Règles de la communauté" in rules.title
    assert PageLog.objects.filter(page=rules, action=PageLog.Action.PROTECT).exists()
    assert Watch.objects.filter(user__username="member", page__path="guides/", subtree=True).exists()
    assert not Revision.objects.exclude(status="published").exists()


def test_seeding_twice_adds_nothing():
    seed()
    counts = (Page.objects.count(), Revision.objects.count(), Watch.objects.count(), PageLog.objects.count())
    assert "wiki already seeded" in seed()
    assert (Page.objects.count(), Revision.objects.count(), Watch.objects.count(), PageLog.objects.count()) == counts


@pytest.mark.parametrize("username", ["cm", "admin"])
def test_the_patrol_list_and_the_queue_open_for_the_demo_cms(client, username):
    seed()
    client.login(username=username, password="tribune-demo")
    assert client.get("/wiki/_patrol/").status_code == 200
    assert client.get("/moderation/").status_code == 200
