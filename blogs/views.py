"""The spaces' own actions beside Wagtail's page serving."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from community.content import MAX_ID
from community.models import User, Visibility
from community.permissions import (
    REJECTED,
    WAITING,
    check_can_edit_comment,
    check_can_read_text,
    may_read_text,
    moderates_space,
    waiting_comments_filter,
)
from community.spaces import PAUSED

from . import comments, services
from .forms import CommentEditForm, CommentForm
from .models import Comment, SpacePage, SpacePostPage


def _id_or_404(value: int) -> int:
    """An id from the URL that no row can have (past 64 bits) is simply not found (never a 500)."""
    if not 0 < value <= MAX_ID:
        raise Http404(_("Not found."))
    return value


@require_POST
def follow(request, space_id):
    """Follow (`follow=1`) or stop following a live space; members only."""
    space = SpacePage.objects.live().public().exclude(state=PAUSED).filter(pk=_id_or_404(space_id)).first()
    if space is None:
        raise Http404(_("No such space."))
    if not request.user.is_authenticated:
        return redirect_to_login(space.url)
    following = request.POST.get("follow") == "1"
    services.set_follow(actor=request.user, space=space, following=following)
    messages.success(request, _("You follow this space: its new posts will be in your notifications.")
                     if following else _("You no longer follow this space."))
    return redirect(space.url)


@require_POST
def space_approval(request, space_id):
    """A CM turns "posts go live only once a community manager approves them" on or off for a space
    (Wagtail's workflow on the space; its holders lose the right to publish directly)."""
    space = SpacePage.objects.filter(pk=_id_or_404(space_id)).first()
    if space is None:
        raise Http404(_("No such space."))
    if not request.user.is_authenticated:
        return redirect_to_login(space.url)
    required = request.POST.get("required") == "1"
    services.set_requires_approval(actor=request.user, space=space, required=required)
    messages.success(request, _("Posts in this space now go live only once a community manager approves them.")
                     if required else _("The space's authors publish their posts themselves again."))
    return redirect(space.url)


# --- Comments ------------------------------------------------------------------------------------

def _comment_or_404(user, comment_id) -> Comment:
    """A comment whose text `user` may read (the comments' one rule), else 404."""
    comment = (Comment.objects.select_related("post", "space", "author__profile", "parent__author")
               .filter(pk=_id_or_404(comment_id)).first())
    if comment is None:
        raise Http404(_("No such comment."))
    check_can_read_text(user, comment)
    return comment


def _live_post_or_404(post_id) -> SpacePostPage:
    post = SpacePostPage.objects.filter(pk=_id_or_404(post_id)).first()
    if post is None or not post.live:
        raise Http404(_("No such post."))
    return post


def _form_page(request, *, post, form, mode, parent=None, comment=None, status=200):
    return render(request, "blogs/comment_form.html", {
        "post": post, "space": post.space, "form": form, "mode": mode, "parent": parent, "comment": comment,
    }, status=status)


@require_safe
def comment(request, comment_id):
    """A comment's permalink: its place in the post's thread."""
    found = _comment_or_404(request.user, comment_id)
    return redirect(f"{found.post.url}#comment-{found.number}")


@require_POST
def comment_create(request, post_id):
    post = _live_post_or_404(post_id)
    if not may_read_text(request.user, post):  # held, private: nothing of it shown, not even to a visitor
        raise Http404(_("No such post."))
    form = CommentForm(request.POST)
    parent = None
    if not form.is_valid():
        return _form_page(request, post=post, form=form, mode="new", status=400)
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.select_related("author").filter(pk=form.cleaned_data["parent"]).first()
        if parent is None or parent.post_id != post.pk or not may_read_text(request.user, parent):
            form.add_error(None, _("You can only reply to a visible comment of this post."))
            return _form_page(request, post=post, form=form, mode="new", status=400)
    if not request.user.is_authenticated:
        return redirect_to_login(post.url)
    try:
        made = comments.add_comment(actor=request.user, post=post, body=form.cleaned_data["body"], parent=parent)
    except comments.DuplicateComment as dup:
        messages.info(request, _("You had already posted this comment."))
        return redirect(f"{post.url}#comment-{dup.comment.number}")
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return _form_page(request, post=post, form=form, mode="new", parent=parent, status=403)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _form_page(request, post=post, form=form, mode="new", parent=parent,
                          status=getattr(exc, "status", 400))
    if made.status == Visibility.PENDING:
        messages.info(request, _("Your comment awaits approval: only you can see it until then."))
    return redirect(f"{post.url}#comment-{made.number}")


@require_safe
def comment_reply(request, comment_id):
    """The reply form of one comment (for pages without script; the post page links here)."""
    parent = _comment_or_404(request.user, comment_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.htmx:
        # The composer opened in place by a list (the CMs' brand-watch inbox): the form alone, its
        # fields named apart from other composers on that page; it posts to comment_create as usual.
        form = CommentForm(initial={"parent": parent.pk}, auto_id=f"comment-reply-{parent.pk}-%s")
        return render(request, "blogs/includes/comment_reply_fragment.html", {
            "post": parent.post, "space": parent.post.space, "form": form, "mode": "new", "parent": parent})
    form = CommentForm(initial={"parent": parent.pk})
    return _form_page(request, post=parent.post, form=form, mode="new", parent=parent)


@require_http_methods(["GET", "HEAD", "POST"])
def comment_edit(request, comment_id):
    found = _comment_or_404(request.user, comment_id)
    check_can_edit_comment(request.user, author_id=found.author_id, status=found.status, deleted=found.is_deleted)
    if request.method == "POST":
        form = CommentEditForm(request.POST)
        if form.is_valid():
            try:
                comments.edit_comment(actor=request.user, comment=found, body=form.cleaned_data["body"])
            except ValidationError as exc:
                form.add_error(None, exc)
                return _form_page(request, post=found.post, form=form, mode="edit", comment=found,
                                  status=getattr(exc, "status", 400))
            return redirect(f"{found.post.url}#comment-{found.number}")
        return _form_page(request, post=found.post, form=form, mode="edit", comment=found, status=400)
    form = CommentEditForm(initial={"body": found.body})
    return _form_page(request, post=found.post, form=form, mode="edit", comment=found)


@require_POST
def comment_delete(request, comment_id):
    found = _comment_or_404(request.user, comment_id)
    comments.delete_comment(actor=request.user, comment=found)
    messages.success(request, _("Your comment was deleted. Replies to it stay."))
    return redirect(f"{found.post.url}#comment-{found.number}")


@require_safe
def comment_history(request, comment_id):
    found = _comment_or_404(request.user, comment_id)
    if found.is_deleted and not moderates_space(request.user, found.space.holder_ids):
        raise Http404(_("No such comment."))
    return render(request, "blogs/comment_history.html", {
        "comment": found, "post": found.post, "space": found.space, "revisions": found.revisions.all()[:50],
    })


@require_POST
def comment_moderate(request, comment_id):
    found = _comment_or_404(request.user, comment_id)
    decision = request.POST.get("decision", "")
    try:
        changed = comments.moderate_comment(actor=request.user, comment=found, decision=decision)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_back(request, found))
    if changed:
        messages.success(request, DECIDED[decision])
    return redirect(_back(request, found))


DECIDED = {
    comments.APPROVE: gettext_lazy("Comment approved: it is visible to everyone."),
    comments.REJECT: gettext_lazy("Comment rejected: it is hidden. You can restore it from your list."),
    comments.RESTORE: gettext_lazy("Comment restored."),
}


def _back(request, found) -> str:
    target = request.POST.get("next", "")
    if target == "waiting":
        return reverse("blogs:waiting_comments")
    return f"{found.post.url}#comment-{found.number}"


WAITING_PER_PAGE = 30


@require_safe
def waiting_comments(request):
    """The space's holders' own list (CMs: every space): comments waiting for approval, and those
    rejected (restorable)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    show = REJECTED if request.GET.get("show") == REJECTED else WAITING
    # Whose comments, and which of them are the actor's to decide (a sanctioned holder: 403).
    mine = waiting_comments_filter(request.user, show=show)
    # Comments of readable posts only (a held or unpublished post's comments are nobody's to decide).
    rows = (Comment.objects.filter(mine, post__live=True, post__status=Visibility.PUBLISHED)
            .select_related("post", "space", "author__profile"))
    if show == WAITING:
        rows = rows.filter(status=Visibility.PENDING, is_deleted=False)
    else:
        rows = rows.filter(status=Visibility.HIDDEN)
    try:
        page = Paginator(rows.order_by("-created_at", "-pk"), WAITING_PER_PAGE).page(int(request.GET.get("page") or 1))
    except (ValueError, EmptyPage):
        raise Http404(_("Unknown page.")) from None
    return render(request, "blogs/waiting_comments.html", {"page": page, "show": show})


@require_http_methods(["GET", "HEAD", "POST"])
def comment_review_link(request, token):
    """The email's one-click link: a confirmation page (GET), the decision (POST), made as the
    member the link was sent to — their right to decide is asked again now. No login needed."""
    try:
        read = comments.read_review_token(token)
    except signing.SignatureExpired:
        return render(request, "blogs/comment_review_link.html", {"problem": "expired"}, status=410)
    if read is None:
        return render(request, "blogs/comment_review_link.html", {"problem": "invalid"}, status=400)
    comment_id, user_id = read
    member = User.objects.filter(pk=user_id, is_active=True).first()
    found = (Comment.objects.select_related("post", "space", "author__profile").filter(pk=comment_id).first())
    if member is None or found is None or not may_read_text(member, found):
        return render(request, "blogs/comment_review_link.html", {"problem": "gone"}, status=404)
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        if decision not in (comments.APPROVE, comments.REJECT):
            return render(request, "blogs/comment_review_link.html",
                          {"comment": found, "member": member, "problem": "decision"}, status=400)
        try:
            changed = comments.moderate_comment(actor=member, comment=found, decision=decision)
        except ValidationError as exc:
            return render(request, "blogs/comment_review_link.html",
                          {"comment": found, "member": member, "error": " ".join(exc.messages)}, status=409)
        return render(request, "blogs/comment_review_link.html",
                      {"comment": found, "member": member, "done": decision, "changed": changed})
    return render(request, "blogs/comment_review_link.html", {"comment": found, "member": member})
