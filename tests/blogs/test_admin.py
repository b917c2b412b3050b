"""An owner writes in their own space through Wagtail's admin (/cms/) and can touch no other space,
through no admin URL; a community manager edits every space; a plain member has no /cms/ at all."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from blogs.models import SpacePage, SpacePostPage
from tests.factories import PASSWORD, UserFactory, png_upload


def post_form(title="First light", slug="first-light", **extra):
    """What the admin's page form posts (its StreamField as the admin's JS sends it)."""
    return nested_form_data({
        "title": title, "slug": slug, "date": "2025-03-02", "excerpt": "Dawn over the harbour.",
        "tags": "dawn, harbour",
        "body": streamfield([("text", rich_text("<p>The <b>first</b> ferry.</p>")),
                             ("quote", {"text": "Light is everything.", "source": "A sailor"})]),
        "comments": inline_formset([]), **extra,
    })


def space_form(space, co_authors=(), **changes):
    data = nested_form_data({
        "title": space.title, "slug": space.slug, "kind": space.kind, "tagline": space.tagline,
        "about": rich_text(space.about or "<p></p>"), "space_owner": space.space_owner_id,
        "comment_policy": space.comment_policy, "moderate_after_days": space.moderate_after_days or "",
        "comments": inline_formset([]), **changes,
    })
    data["co_authors"] = list(co_authors)  # a multiple choice: the same name repeated
    return data


def snapshot(space):
    """Everything an intruder could have changed about a space and what is under it."""
    space = SpacePage.objects.get(pk=space.pk)
    return {
        "page": (space.title, space.slug, space.live, space.locked, space.path, space.has_unpublished_changes,
                 space.latest_revision_id),
        "children": list(space.get_children().values_list("pk", "title", "live", "latest_revision_id")),
        "pages": Page.objects.count(),
        "revisions": space.revisions.count(),
    }


def refused(response):
    """Wagtail refuses with a redirect to the dashboard (and a "permission" message) or a 403 (or a
    405 to a GET of a POST-only action): never the 200 of a form or a listing."""
    assert response.status_code in (302, 403, 405), response.status_code
    if response.status_code == 302:
        assert response["Location"] in ("/cms/", f"/cms/pages/{response.wsgi_request.resolver_match.kwargs.get('page_id')}/history/")
    return True


@pytest.fixture
def b_draft(add_post, space_b):
    return add_post(space_b, "Bob's secret draft", live=False)


@pytest.fixture
def b_post(add_post, space_b):
    return add_post(space_b, "Bob's episode one")


def intrusions(space_a, space_b, b_post, b_draft):
    """(name, args, POST data) of every admin view that would change or reveal space B."""
    b, p = space_b.pk, b_post.pk
    revision = b_draft.latest_revision_id
    return [
        ("wagtailadmin_pages:edit", [b], space_form(space_b, title="Hacked", **{"action-publish": "publish"})),
        ("wagtailadmin_pages:edit", [p], post_form("Hacked", b_post.slug, **{"action-publish": "publish"})),
        ("wagtailadmin_pages:add_subpage", [b], {}),
        ("wagtailadmin_pages:add", ["blogs", "spacepostpage", b], post_form(**{"action-publish": "publish"})),
        ("wagtailadmin_pages:delete", [b], {}),
        ("wagtailadmin_pages:delete", [p], {}),
        ("wagtailadmin_pages:move", [p], {}),
        ("wagtailadmin_pages:move_confirm", [p, space_a.pk], {}),
        ("wagtailadmin_pages:unpublish", [b], {"include_descendants": "on"}),
        ("wagtailadmin_pages:unpublish", [p], {}),
        ("wagtailadmin_pages:copy", [p], {"new_title": "Stolen", "new_slug": "stolen",
                                         "new_parent_page": space_a.pk, "publish_copies": "on"}),
        ("wagtailadmin_pages:copy", [b], {"new_title": "Stolen", "new_slug": "stolen",
                                         "new_parent_page": space_b.get_parent().pk, "copy_subpages": "on"}),
        ("wagtailadmin_pages:lock", [b], {}),
        ("wagtailadmin_pages:set_privacy", [b], {"restriction_type": "password", "password": "x"}),
        ("wagtailadmin_pages:revisions_index", [b], {}),
        ("wagtailadmin_pages:revisions_view", [b_draft.pk, revision], {}),
        ("wagtailadmin_pages:revisions_revert", [b_draft.pk, revision], {}),
        ("wagtailadmin_pages:view_draft", [b_draft.pk], {}),
        ("wagtailadmin_pages:preview_on_edit", [b_draft.pk], post_form("Peek", b_draft.slug)),
        ("wagtailadmin_pages:history", [b], {}),
        ("wagtailadmin_pages:workflow_history", [b], {}),
    ]


def test_an_owner_can_touch_no_other_space_through_the_admin(client, alice, space_a, space_b, b_post, b_draft):
    client.force_login(alice)
    before = snapshot(space_b), snapshot(space_a)
    for name, args, data in intrusions(space_a, space_b, b_post, b_draft):
        url = reverse(name, args=args)
        for method in ("get", "post"):
            response = getattr(client, method)(url, data) if method == "post" else client.get(url)
            assert response.status_code != 200 and refused(response), f"{method.upper()} {name}{args}"
            assert (snapshot(space_b), snapshot(space_a)) == before, f"{method.upper()} {name}{args} changed something"
    assert b"Bob&#x27;s secret draft" not in client.get(reverse("wagtailadmin_explore", args=[space_b.pk])).content
    # and in public, too
    assert client.get(b_draft.url).status_code == 404


def test_the_refusal_is_wagtails_dashboard_redirect_with_a_message(client, alice, space_a, space_b):
    client.force_login(alice)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[space_b.pk]), follow=True)
    assert response.redirect_chain[-1] == ("/cms/", 302)
    assert "do not have permission" in " ".join(str(m) for m in response.context["messages"])


def test_an_owner_edits_their_space_and_publishes_a_post_through_the_admin(client, alice, space_a, space_b):
    client.force_login(alice)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[space_a.pk])).status_code == 200
    add = reverse("wagtailadmin_pages:add", args=["blogs", "spacepostpage", space_a.pk])
    assert client.get(add).status_code == 200

    response = client.post(add, post_form(**{"action-publish": "publish"}))

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    post = SpacePostPage.objects.get()
    assert post.get_parent().pk == space_a.pk and post.live and post.owner == alice
    assert sorted(post.tags.names()) == ["dawn", "harbour"]
    assert [block.block_type for block in post.body] == ["text", "quote"]
    public = client.get("/contributors/alices-column/first-light/")
    assert public.status_code == 200 and b"Light is everything." in public.content
    # her own space's settings: the tagline yes; who holds the space, no (a CM's call)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[space_a.pk]),
                           space_form(space_a, tagline="Harbour mornings", space_owner=UserFactory().pk,
                                      **{"action-publish": "publish"}))
    assert response.status_code == 302
    space_a.refresh_from_db()
    assert space_a.tagline == "Harbour mornings" and space_a.space_owner == alice


def test_page_permissions_stop_at_the_space(alice, space_a, space_b, add_post):
    mine, theirs = add_post(space_a, "Mine"), add_post(space_b, "Theirs")
    for page in (space_a, mine):
        perms = page.permissions_for_user(alice)
        assert perms.can_edit() and perms.can_publish()
    assert space_a.permissions_for_user(alice).can_add_subpage()
    for page in (space_b, theirs):
        perms = page.permissions_for_user(alice)
        assert not (perms.can_edit() or perms.can_publish() or perms.can_add_subpage() or perms.can_delete()
                    or perms.can_unpublish() or perms.can_move() or perms.can_lock() or perms.can_copy())
    assert not mine.permissions_for_user(alice).can_move_to(space_b)
    assert not space_a.get_parent().permissions_for_user(alice).can_add_subpage()  # no space of her own making


def test_a_community_manager_edits_every_space(client, cm, space_a, space_b):
    client.force_login(cm)
    for space in (space_a, space_b):
        assert client.get(reverse("wagtailadmin_pages:edit", args=[space.pk])).status_code == 200
        response = client.post(reverse("wagtailadmin_pages:edit", args=[space.pk]),
                               space_form(space, tagline="Curated", **{"action-publish": "publish"}))
        assert response.status_code == 302
        space.refresh_from_db()
        assert space.tagline == "Curated" and space.live


def test_a_member_who_is_not_a_contributor_is_refused_the_cms_in_plain_words(client, member, space_a):
    client.force_login(member)
    for url in ("/cms/", "/cms/pages/", reverse("wagtailadmin_pages:edit", args=[space_a.pk])):
        response = client.get(url, follow=True)
        assert response.status_code == 403  # not a loop between /cms/ and the login page
        assert response.redirect_chain == [(f"/cms-door/?next={url}", 302)]
        assert "The editors&#x27; area is for featured contributors" in response.content.decode()


def test_a_visitor_is_sent_to_the_one_login_and_back(client, space_a):
    response = client.get("/cms/pages/", follow=True)
    assert response.redirect_chain[-1] == ("/accounts/login/?next=/cms/pages/", 302)
    assert client.get("/cms/login/")["Location"] == "/accounts/login/?next=/cms/"  # not Wagtail's own form
    assert client.post("/cms/login/", {"username": "alice", "password": PASSWORD}).status_code == 405
    assert "_auth_user_id" not in client.session
    assert client.get("/cms-door/?next=https://evil.example/")["Location"] == "/accounts/login/?next=/cms/"
    assert client.get("/cms/password_reset/").status_code in (302, 404)


def test_the_door_lets_an_editor_through(client, alice, space_a):
    client.force_login(alice)
    assert client.get("/cms-door/?next=/cms/pages/")["Location"] == "/cms/pages/"


def test_a_banned_owner_is_out_of_the_cms(client, alice, space_a):
    client.force_login(alice)
    alice.banned_at = timezone.now()
    alice.save()
    response = client.get(reverse("wagtailadmin_pages:edit", args=[space_a.pk]))
    assert response.status_code in (302, 403)
    assert client.post(reverse("wagtailadmin_pages:add", args=["blogs", "spacepostpage", space_a.pk]),
                       post_form(**{"action-publish": "publish"})).status_code in (302, 403)
    assert not SpacePostPage.objects.exists()


def test_a_contributor_opens_the_cms_on_their_space(client, alice, space_a, space_b, add_post):
    add_post(space_a, "Mine", date=datetime.date(2025, 1, 2))
    client.force_login(alice)
    assert PagePermissionPolicy().explorable_root_instance(alice).pk == space_a.pk
    dashboard = client.get("/cms/")
    assert dashboard.status_code == 200
    html = dashboard.content.decode()
    panel = html[html.index('id="your-spaces-section"'):]
    assert "Your space" in html and "Alice&#x27;s column" in panel and "Bob&#x27;s channel" not in html
    for url in (reverse("wagtailadmin_pages:add", args=["blogs", "spacepostpage", space_a.pk]),
                reverse("wagtailadmin_explore", args=[space_a.pk]),
                reverse("wagtailadmin_pages:edit", args=[space_a.pk])):
        assert f'href="{url}"' in panel
        assert client.get(url).status_code == 200
    explorer = client.get(reverse("wagtailadmin_explore", args=[space_a.pk]))
    assert b"Mine" in explorer.content
    assert "0 comments await your approval" in panel
    mine = SpacePostPage.objects.get(title="Mine")
    mine.comment_policy = "moderated"
    mine.save_revision(user=alice).publish(user=alice)
    from blogs.comments import add_comment

    add_comment(actor=UserFactory(), post=SpacePostPage.objects.get(pk=mine.pk), body="Please let me in")
    assert "1 comment awaits your approval" in client.get("/cms/").content.decode()


def test_the_your_space_panel_is_only_for_space_holders(client, cm, contributor, space_a):
    for user in (cm, contributor):
        client.force_login(user)
        response = client.get("/cms/")
        assert response.status_code == 200 and b'id="your-spaces-section"' not in response.content


def test_an_owner_uploads_and_chooses_images_and_files_in_their_space_only(client, alice, bob, space_a, space_b):
    """Without them an owner could fill no image, gallery, video or audio block, no cover, no banner."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    mine, theirs = (Collection.objects.get(name=f"{space.title} ({space.pk})") for space in (space_a, space_b))
    client.force_login(bob)
    client.post(reverse("wagtailimages:add"), {"title": "Bob's boat", "collection": theirs.pk,
                                               "file": png_upload("boat.png")})
    client.force_login(alice)
    client.post(reverse("wagtailimages:add"), {"title": "Sneaky", "collection": theirs.pk, "file": png_upload("x.png")})
    response = client.post(reverse("wagtailimages:add"), {"title": "Alice's quay", "collection": mine.pk,
                                                          "file": png_upload("quay.png")})
    assert response.status_code == 302
    response = client.post(reverse("wagtaildocs:add"), {"title": "Episode 1", "collection": mine.pk,
                                                        "file": SimpleUploadedFile("ep1.mp3", b"ID3" + b"\0" * 64)})
    assert response.status_code == 302
    Image, Document = get_image_model(), get_document_model()
    assert set(Image.objects.values_list("title", "collection")) <= {
        ("Bob's boat", theirs.pk), ("Alice's quay", mine.pk), ("Sneaky", mine.pk)}  # not in Bob's, whatever she posts
    assert Image.objects.filter(title="Alice's quay").exists()
    assert Document.objects.get().collection_id == mine.pk
    chooser = client.get(reverse("wagtailimages_chooser:choose")).content.decode()
    assert "Alice&#x27;s quay" in chooser and "Bob&#x27;s boat" not in chooser
    assert client.get(reverse("wagtailimages:edit", args=[Image.objects.get(title="Bob's boat").pk])).status_code == 302


def test_an_incomplete_editor_form_is_a_bad_request_not_a_server_error(client, db):
    """A post without the StreamField's management fields (forged or truncated): Wagtail reads
    `body-count` and would fail with a 500; the site answers 400 and saves nothing."""
    from blogs.models import SpacePostPage
    from blogs.services import create_space
    from tests.factories import UserFactory

    cm = UserFactory(username="boss", roles=["Community managers"])
    alice = UserFactory(username="alice_incomplete")
    space = create_space(actor=cm, owner=alice, kind="column", title="Incomplete")
    client.force_login(alice)
    response = client.post(reverse("wagtailadmin_pages:add", args=["blogs", "spacepostpage", space.pk]),
                           {"title": "x"})
    assert response.status_code == 400
    assert not SpacePostPage.objects.child_of(space).exists()


def test_a_silenced_contributor_cannot_write_or_publish_in_their_space(client, cm, space_a, alice, add_post):
    """Every sanction applies wherever a member's text becomes public: Wagtail's editor too."""
    from blogs.models import SpacePostPage
    from moderation import sanctions

    post = add_post(space_a, "Before the silence")
    sanctions.sanction_member(actor=cm, member=alice, kind="silence", reason="Cool down", days=2)
    alice.refresh_from_db()
    client.force_login(alice)
    for url in (reverse("wagtailadmin_pages:add", args=["blogs", "spacepostpage", space_a.pk]),
                reverse("wagtailadmin_pages:edit", args=[post.pk])):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        response = client.post(url, {"title": "Published anyway", "slug": "anyway"})
        assert response.status_code in (302, 403), url
    assert not SpacePostPage.objects.filter(title="Published anyway").exists()
    post.refresh_from_db()
    assert post.title == "Before the silence"


def test_uploads_of_the_wrong_type_or_size_are_refused_with_the_reason(client, alice, space_a, settings):
    """Images: gif, jpg, png, webp up to 10 MB and 40 megapixels; documents (audio, video, pdf): mp3,
    m4a, ogg, mp4, webm, pdf up to 200 MB. Anything else is refused on the form, saving nothing."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    mine = Collection.objects.get(name=f"{space_a.title} ({space_a.pk})")
    client.force_login(alice)
    refused = [
        (reverse("wagtailimages:add"), SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'/>", "image/svg+xml")),
        (reverse("wagtailimages:add"), SimpleUploadedFile("fake.png", b"not an image at all", "image/png")),
        (reverse("wagtaildocs:add"), SimpleUploadedFile("setup.exe", b"MZ" + b"\0" * 64)),
        (reverse("wagtaildocs:add"), SimpleUploadedFile("page.html", b"<script>alert(1)</script>")),
    ]
    reasons = ["Not a supported image format. Supported formats: GIF, JPG, JPEG, PNG, WEBP.",
               "Upload a valid image.", "File extension “exe” is not allowed.", "File extension “html” is not allowed."]
    for (url, upload), reason in zip(refused, reasons, strict=True):
        response = client.post(url, {"title": "Nope", "collection": mine.pk, "file": upload})
        assert response.status_code == 200, upload.name  # the form again, with the reason
        assert reason in response.content.decode(), upload.name
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 100
    response = client.post(reverse("wagtailimages:add"), {"title": "Big", "collection": mine.pk,
                                                          "file": png_upload("big.png", size=(200, 200))})
    assert response.status_code == 200 and "This file is too big" in response.content.decode()
    response = client.post(reverse("wagtaildocs:add"), {"title": "Long episode", "collection": mine.pk,
                                                        "file": SimpleUploadedFile("ep.mp3", b"ID3" + b"\0" * 500)})
    assert response.status_code == 200 and "too big" in response.content.decode()
    assert not get_image_model().objects.exists() and not get_document_model().objects.exists()


def test_two_creations_of_one_page_crossing_in_the_editor_are_a_conflict_not_a_500(rf, alice):
    """Wagtail's create view validates the page again on save, uncaught (an autosave and Publish
    crossing): the site answers 409 with the reason (static/js/cms-editor.js avoids it in browsers)."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.core.exceptions import ValidationError

    from community.middleware import IncompleteFormMiddleware

    request = rf.post("/cms/pages/add/blogs/spacepostpage/4/", {"title": "x"})
    request.user, request.session = alice, {}
    request._messages = FallbackStorage(request)
    response = IncompleteFormMiddleware(lambda r: None).process_exception(
        request, ValidationError({"slug": ["The slug 'first-light' is already in use within the parent page."]}))
    assert response.status_code == 409 and "already in use" in response.content.decode()
    elsewhere = rf.post("/forums/t/1/reply/", {"body": "x"})
    assert IncompleteFormMiddleware(lambda r: None).process_exception(elsewhere, ValidationError("x")) is None
