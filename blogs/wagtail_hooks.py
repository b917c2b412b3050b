"""Wagtail admin hooks of the contributor spaces.

- The contributor's way in: the dashboard (/cms/) opens with "Your space", a panel that names the
  spaces the user holds and links to writing a post, the space's posts and its settings (Wagtail's
  own dashboard only says "localhost · 1 page").
- Wagtail 8's editor sends "Save draft" / "Publish" even while its autosave of a new page is on its
  way, and the page is then created twice over (a "slug in use" error, or a 500 when both cross):
  static/js/cms-editor.js makes the submission wait for the autosave.
- Wagtail's move confirmation page checks permissions only when the move is POSTed: its GET would
  show any editor the title of any page, drafts of other spaces included. It is refused up front.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import SpacePage, SpacePostPage


class YourSpacesPanel(Component):
    name = "your_spaces"
    template_name = "blogs/admin/your_spaces_panel.html"
    order = 50  # before Wagtail's own panels (workflows 100, recent edits 250, locks 300)

    def __init__(self, spaces):
        self.spaces = spaces

    def get_context_data(self, parent_context):
        from community.models import Visibility

        from .models import Comment

        waiting = Comment.objects.filter(space__in=self.spaces, status=Visibility.PENDING, awaiting_holder=True,
                                         is_deleted=False, post__live=True).count()
        return {"spaces": self.spaces, "waiting": waiting}


def spaces_user_writes_in(user) -> list[SpacePage]:
    """The spaces `user` holds (owner or co-author) and may edit in Wagtail, by title."""
    held = (SpacePage.objects.filter(Q(space_owner=user) | Q(co_authors=user)).distinct()
            .order_by("title"))
    return [space for space in held if space.permissions_for_user(user).can_edit()]


@hooks.register("construct_homepage_panels")
def add_your_spaces_panel(request, panels):
    spaces = spaces_user_writes_in(request.user)
    if spaces:
        panels.append(YourSpacesPanel(spaces))


@hooks.register("before_move_page")
def refuse_a_move_the_user_may_not_make(request, page, destination):
    if not page.permissions_for_user(request.user).can_move_to(destination):
        return permission_denied(request)  # Wagtail's refusal: the dashboard, with a message
    return None


def _refuse_if_sanctioned(request):
    """A silenced or suspended member publishes no text, here as in the forums
    (`community.permissions.check_can_post`): Wagtail's editor refuses them with the reason."""
    from django.core.exceptions import PermissionDenied

    from community.permissions import check_can_post

    try:
        check_can_post(request.user)
    except PermissionDenied as exc:
        from django.contrib import messages

        messages.error(request, str(exc))
        return permission_denied(request)
    return None


@hooks.register("before_create_page")
def refuse_sanctioned_writers_on_create(request, parent_page, page_class):
    if issubclass(page_class, (SpacePage, SpacePostPage)):
        return _refuse_if_sanctioned(request)
    return None


@hooks.register("before_edit_page")
def refuse_sanctioned_writers_on_edit(request, page):
    if isinstance(page.specific_deferred, (SpacePage, SpacePostPage)):
        return _refuse_if_sanctioned(request)
    return None


@hooks.register("before_publish_page")
def refuse_sanctioned_writers_on_publish(request, page, *args, **kwargs):
    if isinstance(page.specific_deferred, (SpacePage, SpacePostPage)):
        refused = _refuse_if_sanctioned(request)
        if refused is not None:
            return refused
    if isinstance(page, SpacePostPage):
        return _refuse_blocked_words(request, page)
    return None


def _refuse_blocked_words(request, page):
    """A blocked watched word stops the publication with its message (the revision is saved as a
    draft: nothing typed is lost); the editor opens again on the post."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from community.content import PublishRefused

    from .services import check_post_may_go_live

    try:
        check_post_may_go_live(actor=request.user, post=page)
    except PublishRefused as exc:
        if page.first_published_at is None:
            # Wagtail's create view saves a new page as live before this hook: refused, it is a draft.
            SpacePostPage.objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
        messages.error(request, " ".join(exc.messages) + " " + str(
            _("The post was not published; your changes are saved as a draft.")))
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("construct_page_chooser_queryset")
def choose_among_what_the_user_may_see(pages, request):
    """Wagtail's page chooser lists any page of the tree: a space's writer chooses among the pages
    they may edit and the pages every reader sees (a link to another space's published post), never
    another space's drafts or held posts. CMs and staff choose among all."""
    from community.permissions import may_choose_any_page

    from .models import readable_posts

    if may_choose_any_page(request.user):
        return pages
    editable = PagePermissionPolicy().instances_user_has_permission_for(request.user, "change")
    from community.spaces import PAUSED

    public_spaces = SpacePage.objects.live().public().exclude(state=PAUSED)
    return pages.filter(Q(pk__in=editable.values("pk")) | Q(pk__in=public_spaces.values("pk"))
                        | Q(pk__in=readable_posts().values("pk")) | Q(depth__lte=2))


@hooks.register("insert_editor_js")
def editor_waits_for_the_autosave():
    """Save draft / Publish wait for the autosave on its way (static/js/cms-editor.js)."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<script src="{}" defer></script>', static("js/cms-editor.js"))
