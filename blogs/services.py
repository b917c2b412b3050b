"""Writes of the contributor spaces. `create_space` is the one way a space is made (the demo seed
now, the CM's casting flow next); `ensure_contributors_index` sets the tree up after migrations."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from community import content, events
from community.models import Event, SpamStatus, User, Visibility
from community.permissions import Role, can, check_can_cast_members, check_can_follow_space, check_can_post
from community.spaces import RETIRED

from .events import POST_KIND
from .models import ContributorsIndexPage, SpaceFollow, SpaceKind, SpacePage, SpacePostPage, post_parts

# What a space's owner may do on their space page and below it; what CMs may do on every space.
OWNER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
CM_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
# Images and media files (documents): an owner uploads and chooses them in their space's collection
# only; CMs in every collection.
OWNER_MEDIA_PERMISSIONS = (("wagtailimages", "add_image"), ("wagtailimages", "choose_image"),
                           ("wagtaildocs", "add_document"), ("wagtaildocs", "choose_document"))
CM_MEDIA_PERMISSIONS = (*OWNER_MEDIA_PERMISSIONS, ("wagtailimages", "change_image"),
                        ("wagtaildocs", "change_document"))


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


page_permission = _page_permission  # (blogs.casting gives and takes the space group's permissions)


def ensure_contributors_index() -> ContributorsIndexPage:
    """Trusted, idempotent (run after every `migrate`): the Contributors index as the root of the
    default Wagtail site (served under /contributors/), Wagtail's placeholder welcome page gone, the
    editors' access to /cms/ and the community managers' page permissions on every space."""
    with transaction.atomic():
        index = ContributorsIndexPage.objects.first()
        root = Page.get_first_root_node()
        if root is None:
            # A flushed database (TransactionTestCase) has lost the tree Wagtail's migrations made.
            Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
            root = Page.add_root(instance=Page(title="Root", slug="root"))
        if index is None:
            index = root.add_child(instance=ContributorsIndexPage(title="Featured contributors",
                                                                  slug="contributors"))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(hostname="localhost", root_page=index, is_default_site=True,
                                site_name="Tribune")
        if site is not None and not site.site_name:
            site.site_name = settings.SITE_NAME  # Wagtail's dashboard names the site
            site.save(update_fields=["site_name"])
        if site is not None and site.root_page_id != index.pk:
            old_root = site.root_page
            site.root_page = index
            site.save(update_fields=["root_page"])
            if old_root.specific_class is Page and old_root.depth == 2 and not old_root.get_children().exists():
                old_root.delete()  # Wagtail's "Welcome to your new Wagtail site!"
        access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        for name in (Role.CONTRIBUTOR, Role.COMMUNITY_MANAGER):
            Group.objects.get_or_create(name=name)[0].permissions.add(access)
        managers = Group.objects.get_or_create(name=Role.COMMUNITY_MANAGER)[0]
        for codename in CM_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(group=managers, page=index,
                                                      permission=_page_permission(codename))
        media_root = Collection.get_first_root_node() or Collection.add_root(name="Root")  # (after a flush)
        for app_label, codename in CM_MEDIA_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=managers, collection=media_root,
                permission=Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return index


def _unique_slug(title: str, index: Page) -> str:
    base = slugify(title)[:60] or "space"
    slug, n = base, 1
    while slug in SpacePage.reserved_slugs or index.get_children().filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_space(*, actor, owner, kind: str, title: str, tagline: str = "", about: str = "") -> SpacePage:
    """Cast `owner` into a new featured space: the Space page (published), a group of its own whose
    Wagtail page permissions let its members add, edit and publish posts inside this space only
    and upload and choose images and media files in the space's own collection, and the
    Contributors role. `actor` must be allowed to cast members (community managers)."""
    check_can_cast_members(actor)
    if kind not in SpaceKind.values:
        raise ValueError(f"unknown space kind {kind!r}")
    index = ensure_contributors_index()
    with transaction.atomic():
        space = SpacePage(title=title, slug=_unique_slug(title, index), kind=kind, tagline=tagline,
                          about=about, space_owner=owner, owner=owner)
        index.add_child(instance=space)
        space.save_revision(user=actor).publish(user=actor)
        group = space_group(space)
        for codename in OWNER_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(group=group, page=space, permission=_page_permission(codename))
        collection = Collection.get_first_root_node().add_child(name=f"{space.title} ({space.pk})")
        for app_label, codename in OWNER_MEDIA_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection,
                permission=Permission.objects.get(content_type__app_label=app_label, codename=codename))
        owner.groups.add(group, Group.objects.get_or_create(name=Role.CONTRIBUTOR)[0])
    return space


def space_group(space: SpacePage) -> Group:
    return Group.objects.get_or_create(name=f"Space: {space.slug} ({space.pk})")[0]


def sync_space_holders(space: SpacePage) -> None:
    """The space's group holds its owner and co-authors, no one else (a co-author writes, edits and
    publishes posts in the space as the owner does); each holder has the Contributors role. Called
    whenever the space page is published (a CM changed who holds it)."""
    group = space_group(space)
    holders = set(User.objects.filter(pk__in=space.holder_ids))
    current = set(group.user_set.all())
    with transaction.atomic():
        for user in current - holders:
            user.groups.remove(group)
        contributors = Group.objects.get_or_create(name=Role.CONTRIBUTOR)[0]
        for user in holders - current:
            user.groups.add(group, contributors)


def set_follow(*, actor, space: SpacePage, following: bool) -> None:
    """Follow a space (its new posts notify the member) or stop; idempotent."""
    check_can_follow_space(actor)
    if following:
        SpaceFollow.objects.bulk_create([SpaceFollow(user=actor, space=space)], ignore_conflicts=True)
    else:
        SpaceFollow.objects.filter(user=actor, space=space).delete()


def post_published(*, post: SpacePostPage, actor=None) -> None:
    """A post went live (Wagtail's `page_published`, whoever clicked: its author, a CM approving it
    in the workflow, the scheduler). The first time it is announced on the spine as its author's
    new content (`content.created`: spam check and watched words, then the followers' fan-out);
    a later publication is an edit (`content.changed`). The watched words decide its status: a
    blocked word (the editor refuses it up front; the scheduler cannot) or one needing approval
    holds it for a CM, who releases it from the review queue (`content.published`)."""
    kind = content.kind_for(post)
    author = post.owner or actor or post.space.space_owner
    if post.owner_id is None:  # made in code (the demo seed), not in the editor: its author is known now
        SpacePostPage.objects.filter(pk=post.pk).update(owner=author)
        post.owner = author
    try:
        if author is not None:
            check_can_post(author)
        status = content.initial_status(POST_KIND, author=author, parts=post_parts(post),
                                        editing=_announced(post))
    except (PermissionDenied, content.PublishRefused):
        status = Visibility.PENDING
    with transaction.atomic():
        announcer = author if status == Visibility.PUBLISHED or author is None or can(check_can_post, author) else None
        if not _announced(post):
            SpacePostPage.objects.filter(pk=post.pk).update(status=status, spam_status=SpamStatus.PENDING)
            post.status, post.spam_status = status, SpamStatus.PENDING
            content.content_created(post, actor=announcer, payload={"space": post.get_parent().pk})
        else:
            if status == Visibility.PENDING:
                kind.set_status(post, Visibility.PENDING, only_from=Visibility.PUBLISHED)
            SpacePostPage.objects.filter(pk=post.pk).update(spam_status=SpamStatus.PENDING)
            post.spam_status = SpamStatus.PENDING
            content.content_changed(post, actor=announcer)


def _announced(post) -> bool:
    return Event.objects.filter(kind=events.CONTENT_CREATED, target_type=ContentType.objects.get_for_model(SpacePostPage),
                                target_id=post.pk).exists()


def check_post_may_go_live(*, actor, post: SpacePostPage) -> None:
    """Before the editor publishes: the watched words' blocked words refuse it with their message
    (PublishRefused), as they refuse a forum post. Nothing is lost: the revision is saved."""
    content.initial_status(POST_KIND, author=post.owner or actor, parts=post_parts(post), editing=True)


APPROVAL_WORKFLOW = "Community managers' approval"


def set_requires_approval(*, actor, space: SpacePage, required: bool) -> None:
    """A space whose posts go live only once a community manager approves them: Wagtail's workflow
    (one group approval task for the Community managers, with the reviewer's comment shown to the
    author on "request changes") on the space, and its holders lose the right to publish directly
    (Wagtail lets whoever may publish skip a workflow). Off again: both undone."""
    check_can_cast_members(actor)
    with transaction.atomic():
        group = space_group(space)
        publish = GroupPagePermission.objects.filter(group=group, page=space,
                                                     permission=_page_permission("publish_page"))
        if required:
            workflow, _made = Workflow.objects.get_or_create(name=APPROVAL_WORKFLOW)
            if not workflow.workflow_tasks.exists():
                task = GroupApprovalTask.objects.create(name=str(_("Approval by a community manager")))
                task.groups.set([Group.objects.get_or_create(name=Role.COMMUNITY_MANAGER)[0]])
                WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
            WorkflowPage.objects.update_or_create(page=space, defaults={"workflow": workflow})
            publish.delete()
        else:
            WorkflowPage.objects.filter(page=space).delete()
            if space.state != RETIRED:  # an archive's authors publish nothing
                GroupPagePermission.objects.get_or_create(group=group, page=space,
                                                          permission=_page_permission("publish_page"))


def requires_approval(space: SpacePage) -> bool:
    return WorkflowPage.objects.filter(page=space).exists()
