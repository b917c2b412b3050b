"""Every page and action of the CM workspace (the `cm` namespace), found from the URL configuration —
a URL an area adds is walked without editing this file, with the sample objects its area gives
tests/methods_ext/ — is closed to members and contributors (403, by every method it serves) and
asks a visitor to log in; and nothing changes: no row is added, changed away or removed anywhere
in the project's apps, no role is given. The member-facing namespaces (`invitations`,
`announcements`) are not CM pages: their own tests cover them."""

from urllib.parse import quote

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from community.models import User
from moderation.models import AuditLogEntry
from tests import test_methods
from tests.factories import UserFactory
from tests.test_methods import ACTIONS, FORMS, PAGES, ROUTES, url_of

world = test_methods.world  # the fixture: the community test_methods walks every URL with (and its extensions)
CM_ROUTES = [route for route in ROUTES if route[1] and route[1].startswith("cm:")]
OUR_APPS = ("community", "cm", "moderation", "forums", "blogs", "wiki")


def methods_of(name):
    if name in ACTIONS:
        return ["post"]
    if name in FORMS:
        return ["get", "post"]
    return ["get"]  # a page


REQUESTS = [(route, method) for route in CM_ROUTES for method in methods_of(route[1])]

# What a form of the workspace might read: a view that acted before its permission check would act on it.
TODAY = timezone.localdate()
DATA = {"reason": "Because", "note": "A note", "message": "Hello", "body": "Hello there", "kind": "column",
        "skill": "writing", "decision": "approve", "confirm": "on", "title": "A title", "invitation": "Welcome",
        "starts_on": TODAY.isoformat(), "ends_on": TODAY.replace(year=TODAY.year + 1).isoformat(),
        "starts_at": TODAY.isoformat(), "ends_at": TODAY.replace(year=TODAY.year + 1).isoformat(),
        "answer": "accept", "status": "done", "position": "1", "sponsored": "on", "period": "7"}


def snapshot():
    """How many rows every model of our apps holds, and who holds which role."""
    counts = {model._meta.label: model._default_manager.count()
              for model in apps.get_models() if model._meta.app_label in OUR_APPS}
    roles = sorted(User.groups.through.objects.values_list("user_id", "group_id"))
    return counts, roles


@pytest.fixture
def outsiders(world):
    """A member without any role, and a contributor (who owns nothing in the workspace)."""
    return {"member": UserFactory(username="plainmember"),
            "contributor": UserFactory(username="plaincontributor", roles=["Contributors"])}


def test_the_walk_finds_the_workspace_and_classifies_every_url_of_it():
    names = {route[1] for route in CM_ROUTES}
    assert {"cm:dashboard", "cm:dashboard_csv"} <= names
    assert names <= PAGES | FORMS | ACTIONS  # an unclassified URL would be walked as a page: classify it
    assert not any(name.startswith(("invitations:", "announcements:")) for name in names)


def ask(client, url, method):
    return client.get(url) if method == "get" else client.post(url, DATA)


# One loop per role (not a test per URL): the world is built once, every refusal is listed at once.
@pytest.mark.parametrize("role", ["member", "contributor"])
def test_members_and_contributors_get_403_on_every_cm_page_and_action(role, world, outsiders, client):
    client.force_login(outsiders[role])
    wrong = []
    for route, method in REQUESTS:
        url = url_of(route, world)
        before, audit_before = snapshot(), AuditLogEntry.objects.count()

        response = ask(client, url, method)

        if response.status_code != 403 or b"You can't do that here" not in response.content:
            wrong.append((route[1], method, response.status_code))
        if AuditLogEntry.objects.count() != audit_before or snapshot() != before:
            wrong.append((route[1], method, "changed something"))
    assert len(REQUESTS) >= 2
    assert wrong == []


def test_a_visitor_is_sent_to_the_login_page_and_nothing_changes(world, client):
    wrong = []
    for route, method in REQUESTS:
        url = url_of(route, world)
        before = snapshot()

        response = ask(client, url, method)

        if response.status_code != 302 or response["Location"] != f"{reverse('account_login')}?next={quote(url, safe='/')}":
            wrong.append((route[1], method, response.status_code))
        if snapshot() != before:
            wrong.append((route[1], method, "changed something"))
    assert wrong == []


@pytest.mark.parametrize("role", ["cm", "staff"])
def test_cms_and_staff_open_the_dashboard(role, world, client):
    client.force_login(world[role])
    assert client.get(reverse("cm:dashboard")).status_code == 200
    assert client.get(reverse("cm:dashboard_csv")).status_code == 200
