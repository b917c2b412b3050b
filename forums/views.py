"""Forum pages. A view parses the request, calls one selector or service, renders or answers 4xx."""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from community import fragments
from community.decorators import member_required, require_safe_or_post
from community.notifications import services as notification_services
from community.pagecache import cache_anonymous_page
from community.permissions import (
    can,
    check_can_accept_answer,
    check_can_edit_post,
    check_can_moderate_forum,
    check_can_reply,
    check_can_start_topic,
    is_forum_moderator,
)

from . import cache_keys, page_fragments, selectors, services
from .forms import EditPostForm, MoveTopicForm, ReplyForm, TopicForm


@functools.cache
def url_bases() -> dict:
    """URL prefixes for rows rendered many times per page: "{{ post_base }}{{ post.pk }}/" costs a
    string join where {% url %} costs a resolver walk per row. Reversed once per process."""
    return {
        "post_base": reverse("forums:post", args=[1])[: -len("1/")],
        "topic_base": reverse("forums:topic_unread", args=[1])[: -len("1/unread/")],
        "member_base": reverse("community:profile", args=["x"])[: -len("x/")],
        "report_base": reverse("moderation:report", args=["forums.post", 1])[: -len("1/")],
    }


def _canonical(obj, slug):
    return obj.slug != slug


def _canonical_url(obj, request) -> str:
    """The object's own address, keeping the page asked for when it is a plain number."""
    url = obj.get_absolute_url()
    page = request.GET.get("page", "")
    return f"{url}?page={int(page)}" if page.isascii() and page.isdigit() and int(page) > 1 else url


@require_safe
@cache_anonymous_page(lambda: cache_keys.index())
def index(request):
    sections = selectors.forum_index(request.user)
    [html] = fragments.Renderer(request, url_bases()).render(
        "forums/includes/index_sections.html", [sections], name="sections", key_of=page_fragments.index_key)
    return render(request, "forums/index.html", {"sections_html": html, **url_bases()})


@require_safe
@cache_anonymous_page(lambda forum_id, slug: cache_keys.forum(int(forum_id)))
def forum_detail(request, forum_id, slug):
    forum = selectors.forum_for(request.user, forum_id, reader_state=True)
    if forum.is_category:
        return redirect(f"{reverse('forums:index')}#forum-{forum.pk}")
    if _canonical(forum, slug):
        return redirect(_canonical_url(forum, request), permanent=True)
    page = selectors.topic_page(request.user, forum, request.GET.get("page"))
    selectors.annotate_unread(request.user, page.object_list, forum=forum)
    rows, pager = fragments.render_parts(request, [
        fragments.Part("forums/includes/topic_row.html", page.object_list, context=url_bases(), name="topic",
                       key_of=page_fragments.topic_row_key),
        fragments.Part("forums/includes/pager.html", [page] if page.has_other_pages else [], name="page",
                       key_of=page_fragments.pager_key),
    ])
    for topic, row in zip(page.object_list, rows, strict=True):
        topic.row_html = row
    return render(request, "forums/forum_detail.html", {
        "forum": forum,
        "page": page,
        "crumbs": selectors.breadcrumbs(forum),
        "can_start_topic": can(check_can_start_topic, request.user, forum),
        "watching": selectors.watches_forum(request.user, forum),
        "subforums": selectors.subforums(request.user, forum),
        "pager_html": pager[0] if pager else "",
        **url_bases(),
    })


@require_safe
@cache_anonymous_page(lambda topic_id, slug: cache_keys.topic(int(topic_id)))
def topic_detail(request, topic_id, slug):
    topic = selectors.topic_for(request.user, topic_id, reader_state=True)
    if _canonical(topic, slug):
        return redirect(_canonical_url(topic, request), permanent=True)
    page = selectors.posts_page(request.user, topic, request.GET.get("page"))
    state = selectors.member_topic_state(request.user, topic, page.object_list)
    for post in page.object_list:
        post.liked_by_me = post.pk in state["liked"]  # a visitor's posts have no annotation
    if request.user.is_authenticated:
        # Opening the topic reads what the bell said about it (no query when the bell is at zero).
        notification_services.mark_group_suffix_read(actor=request.user, suffix=f":topic:{topic.pk}")
    if page.object_list and request.user.is_authenticated:
        services.mark_topic_read(actor=request.user, topic=topic, position=page.object_list[-1].position,
                                 known=state["read_position"] or 0)
    moderator = is_forum_moderator(request.user, topic.forum)
    flags = {
        "topic": topic,
        "is_moderator": moderator,
        "signed_in": request.user.is_authenticated,
        "can_reply": can(check_can_reply, request.user, topic),
        "can_accept": topic.forum.is_questions and can(check_can_accept_answer, request.user, topic),
        "reply_url": reverse("forums:reply", args=[topic.pk]),
        **url_bases(),
    }
    reply_form = ReplyForm()
    flags["posts_html"], flags["reply_fields_html"], flags["pager_html"] = page_fragments.render_posts(
        request, topic, page, flags, reply_form)
    return render(request, "forums/topic_detail.html", {
        **flags,
        "accepted_answer": selectors.accepted_answer_shown(request.user, topic) if page.number == 1 else None,
        "forum": topic.forum,
        "page": page,
        "crumbs": selectors.breadcrumbs(topic.forum) + [topic.forum],
        "liked": state["liked"],
        "watching": state["watching"],
        "reply_form": reply_form,
        "move_form": MoveTopicForm(forums=selectors.movable_forums(request.user)) if moderator else None,
    })


@require_safe
def topic_unread(request, topic_id):
    topic = selectors.topic_for(request.user, topic_id)
    position = selectors.first_unread_position(request.user, topic)
    page = (position - 1) // 20 + 1
    url = topic.get_absolute_url() + (f"?page={page}" if page > 1 else "")
    return HttpResponseRedirect(f"{url}#post-{position}")


@require_safe
def post_permalink(request, post_id):
    post = selectors.post_for(request.user, post_id)
    return HttpResponseRedirect(post.get_absolute_url())


@require_safe_or_post
@member_required
def topic_create(request, forum_id, slug):
    forum = selectors.forum_for(request.user, forum_id)
    status = 200
    if request.method == "POST":
        form = TopicForm(request.POST)
        try:
            check_can_start_topic(request.user, forum)
        except PermissionDenied as exc:
            # Keep what was typed (a silence, say): show the form again with the reason.
            form.is_valid()
            form.add_error(None, str(exc))
            return render(request, "forums/topic_form.html", {
                "forum": forum, "form": form, "crumbs": selectors.breadcrumbs(forum) + [forum]}, status=403)
        if form.is_valid():
            try:
                topic = services.create_topic(actor=request.user, forum=forum,
                                              title=form.cleaned_data["title"], body=form.cleaned_data["body"])
            except services.DuplicateTopic as dup:
                messages.info(request, _("You had already started this topic."))
                return redirect(dup.topic.get_absolute_url())
            except ValidationError as exc:
                form.add_error(None, exc)
                status = getattr(exc, "status", 400)
            else:
                return redirect(topic.get_absolute_url())
        if status == 200:
            status = 400
    else:
        check_can_start_topic(request.user, forum)
        form = TopicForm()
    return render(request, "forums/topic_form.html", {"forum": forum, "form": form,
                                                      "crumbs": selectors.breadcrumbs(forum) + [forum]},
                  status=status)


@require_safe_or_post
@member_required
def reply(request, topic_id):
    topic = selectors.topic_to_reply_to(request.user, topic_id)
    status = 200
    quote = None
    if request.method == "POST":
        form = ReplyForm(request.POST)
        try:
            check_can_reply(request.user, topic)
        except PermissionDenied as exc:
            # Keep what was typed: show the form again with the reason.
            form.is_valid()
            form.add_error(None, str(exc))
            return render(request, "forums/post_form.html", {"topic": topic, "form": form, "mode": "reply"},
                          status=403)
        if form.is_valid():
            quote_id = form.cleaned_data.get("quote")
            if quote_id:
                try:
                    quote = selectors.quotable_post(request.user, topic, quote_id)
                except Http404:
                    # The quoted post went away (hidden, or forged id): keep the typed text, drop
                    # the quote, say why. Sending again posts the reply without it.
                    form = ReplyForm({"body": request.POST.get("body", "")})
                    form.is_valid()
                    form.add_error(None, _("No such post."))
                    return render(request, "forums/post_form.html",
                                  {"topic": topic, "form": form, "mode": "reply"}, status=400)
            try:
                post = services.post_reply(actor=request.user, topic=topic, body=form.cleaned_data["body"],
                                           quote=quote)
            except services.DuplicatePost as dup:
                messages.info(request, _("You had already posted this reply."))
                dup.post.topic = topic
                return redirect(dup.post.get_absolute_url())
            except ValidationError as exc:
                form.add_error(None, exc)
                status = getattr(exc, "status", 400)
            else:
                return redirect(post.get_absolute_url())
        if status == 200:
            status = 400
    else:
        check_can_reply(request.user, topic)
        initial = {}
        if request.GET.get("quote"):
            try:
                # Only text the member may read, public, of this topic: a deleted, hidden or held
                # post, or one of a forum they may not read, is "no such post".
                quote = selectors.quotable_post(request.user, topic, int(request.GET["quote"]))
            except ValueError:
                raise Http404(_("No such post.")) from None
            initial["quote"] = quote.pk
        if request.htmx:
            # The composer opened in place by a list (the CMs' brand-watch inbox): the form alone,
            # its fields named apart from other composers on that page; it posts here as usual.
            form = ReplyForm(initial=initial, auto_id=f"reply-{topic.pk}-{quote.pk if quote else 0}-%s")
            return render(request, "forums/includes/reply_fragment.html",
                          {"topic": topic, "form": form, "mode": "reply", "quote": quote})
        form = ReplyForm(initial=initial)
    return render(request, "forums/post_form.html", {"topic": topic, "form": form, "mode": "reply",
                                                     "quote": quote}, status=status)


@require_safe_or_post
@member_required
def post_edit(request, post_id):
    post = selectors.post_for(request.user, post_id)
    check_can_edit_post(request.user, post)
    status = 200
    if request.method == "POST":
        form = EditPostForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.edit_post(actor=request.user, post=post, body=form.cleaned_data["body"],
                                   reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_error(None, exc)
                status = getattr(exc, "status", 400)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(post.get_absolute_url())
    else:
        form = EditPostForm(initial={"body": post.body})
    if request.user.pk == post.author_id:
        form.fields["reason"].help_text = ""  # the redaction note is for moderators
    return render(request, "forums/post_form.html", {"topic": post.topic, "post": post, "form": form,
                                                     "mode": "edit"}, status=status)


@require_safe
def post_history(request, post_id):
    post = selectors.post_with_text(request.user, post_id)
    revisions, withheld = selectors.revisions_of(request.user, post)
    return render(request, "forums/post_history.html", {"post": post, "topic": post.topic, "revisions": revisions,
                                                        "withheld": withheld})


@require_POST
@member_required
def post_delete(request, post_id):
    post = selectors.post_for(request.user, post_id)
    services.delete_post(actor=request.user, post=post)
    if post.position == 1:
        messages.success(request, _("Your topic is deleted."))
        return redirect(post.topic.forum.get_absolute_url())
    messages.success(request, _("Your post is deleted."))
    return redirect(post.get_absolute_url())


@require_POST
@member_required
def post_like(request, post_id):
    post = selectors.post_for(request.user, post_id)
    liked, count = services.toggle_reaction(actor=request.user, post=post)
    post.reaction_count = count
    if request.htmx:
        return render(request, "forums/includes/like_button.html",
                      {"post": post, "liked": liked, "can_like": not post.is_deleted})
    return redirect(post.get_absolute_url())


@require_POST
@member_required
def post_accept(request, post_id):
    post = selectors.post_for(request.user, post_id)
    topic = post.topic
    clear = request.POST.get("clear") == "1"
    try:
        services.accept_answer(actor=request.user, topic=topic, post=None if clear else post)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponse(" ".join(exc.messages), status=400) if request.htmx else \
            redirect(post.get_absolute_url())
    messages.success(request, _("Answer accepted.") if not clear else _("Accepted answer cleared."))
    return redirect(post.get_absolute_url())


@require_POST
@member_required
def post_moderate(request, post_id, action):
    post = selectors.post_for(request.user, post_id)
    if action == "hide":
        services.hide_post(actor=request.user, post=post, reason=request.POST.get("reason", ""))
        messages.success(request, _("The post is hidden."))
    else:
        services.restore_post(actor=request.user, post=post)
        messages.success(request, _("The post is restored."))
    return redirect(post.get_absolute_url())


@require_POST
@member_required
def topic_moderate(request, topic_id, action):
    topic = selectors.topic_for(request.user, topic_id)
    # Refuse non-moderators before reading the form: a bad "move" form must not answer 302.
    check_can_moderate_forum(request.user, topic.forum)
    if action in ("pin", "unpin"):
        services.set_pinned(actor=request.user, topic=topic, pinned=action == "pin")
    elif action in ("lock", "unlock"):
        services.set_locked(actor=request.user, topic=topic, locked=action == "lock")
    elif action == "move":
        form = MoveTopicForm(request.POST, forums=selectors.movable_forums(request.user))
        if not form.is_valid():
            messages.error(request, _("Choose a forum to move the topic to."))
            return redirect(topic.get_absolute_url())
        target = selectors.forum_for(request.user, form.cleaned_data["forum"])
        try:
            services.move_topic(actor=request.user, topic=topic, forum=target)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(topic.get_absolute_url())
    messages.success(request, _("Done."))
    return redirect(topic.get_absolute_url())


@require_POST
@member_required
def topic_watch(request, topic_id):
    topic = selectors.topic_for(request.user, topic_id)
    watching = request.POST.get("watch") == "1"
    services.set_topic_watch(actor=request.user, topic=topic, watching=watching)
    messages.success(request, _("You are watching this topic.") if watching else _("You stopped watching this topic."))
    return redirect(topic.get_absolute_url())


@require_POST
@member_required
def forum_watch(request, forum_id, slug):
    forum = selectors.forum_for(request.user, forum_id)
    watching = request.POST.get("watch") == "1"
    services.set_forum_watch(actor=request.user, forum=forum, watching=watching)
    messages.success(request, _("You are watching this forum.") if watching else _("You stopped watching this forum."))
    return redirect(forum.get_absolute_url())


@require_POST
@member_required
def forum_mark_read(request, forum_id, slug):
    forum = selectors.forum_for(request.user, forum_id)
    services.mark_forum_read(actor=request.user, forum=forum)
    messages.success(request, _("All topics of this forum are marked as read."))
    return redirect(forum.get_absolute_url())

