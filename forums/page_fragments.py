"""The forum pages' fragments (community.fragments): what each one shows — its key — and the topic
page's parts rendered in one cache round trip. A key lists every value its template shows; a template
that starts showing something new must add it here."""

from django.utils.safestring import mark_safe

from community import fragments


def post_head_key(post, *, accepted_id, is_moderator):
    """Everything forums/includes/post_head.html shows (community.fragments)."""
    author = post.author
    avatar = author.profile.avatar.name if getattr(author, "profile", None) is not None else ""
    return (post.pk, post.position, post.status, post.is_deleted, post.created_at, post.edited_at, post.body_html,
            author.pk, author.username, author.display_name, avatar, accepted_id == post.pk, is_moderator,
            post.mine)


def post_actions_key(post, *, accepted_id, page_flags):
    """Everything forums/includes/post_actions.html shows: the viewer's relation to the post."""
    return (post.pk, post.position, post.status, post.is_deleted, post.reaction_count, post.mine, post.can_like,
            post.liked_by_me, accepted_id == post.pk, page_flags)


def _name(user):
    return (user.pk, user.username, user.display_name) if user is not None else None


def index_key(sections):
    """Everything forums/includes/index_sections.html shows."""
    def node(forum):
        last = forum.last_post
        return (forum.pk, forum.name, forum.slug, forum.description, forum.is_category, forum.is_questions,
                forum.access, forum.topic_count, forum.post_count, forum.last_post_at,
                (last.pk, last.topic.title, _name(last.author)) if last is not None else None,
                tuple((sub.pk, sub.name, sub.slug) for sub in getattr(forum, "subforums", ())))
    return tuple((node(section.category) if section.category else None, tuple(node(f) for f in section.forums))
                 for section in sections)


def topic_row_key(topic):
    """Everything forums/includes/topic_row.html shows (the member's unread count included)."""
    return (topic.pk, topic.slug, topic.title, topic.status, topic.is_pinned, topic.is_locked, topic.is_solved,
            topic.post_count, topic.last_post_at, _name(topic.author), _name(topic.last_poster),
            getattr(topic, "unread", False), getattr(topic, "new_posts", 0))


def form_key(form):
    """What an empty form shows: each field's label, help, widget and its attributes."""
    return tuple((name, str(field.label), str(field.help_text), field.required, type(field.widget).__name__,
                  sorted((key, str(value)) for key, value in field.widget.attrs.items()))
                 for name, field in form.fields.items())


def pager_key(page):
    """Everything forums/includes/pager.html shows."""
    return (page.number, page.num_pages)


def render_posts(request, topic, page, context, reply_form):
    """The posts' HTML (each post's head and actions), the empty reply form for a member who may
    reply and the pager (shown above and below the posts), through the fragment cache
    (community.fragments): one cache round trip for them all."""
    posts = page.object_list
    user_id = request.user.pk
    for post in posts:
        post.mine = user_id is not None and post.author_id == user_id
        post.can_like = user_id is not None and not post.mine and not post.is_deleted
    accepted_id, moderator = topic.accepted_answer_id, context["is_moderator"]
    page_flags = (context["signed_in"], moderator, context["can_reply"], context["can_accept"], context["reply_url"])
    parts = [
        fragments.Part("forums/includes/post_head.html", posts, context=context, name="post",
                       includes=("includes/avatar.html",),
                       key_of=lambda p: post_head_key(p, accepted_id=accepted_id, is_moderator=moderator)),
        fragments.Part("forums/includes/post_actions.html", posts, context=context, name="post", csrf=True,
                       includes=("forums/includes/like_button.html",),
                       key_of=lambda p: post_actions_key(p, accepted_id=accepted_id, page_flags=page_flags)),
        # the same empty form for every member who may reply
        fragments.Part("forums/includes/reply_fields.html", [reply_form] if context["can_reply"] else [],
                       name="form", key_of=form_key, includes=("includes/form_fields.html",)),
        fragments.Part("forums/includes/pager.html", [page] if page.has_other_pages else [], name="page",
                       key_of=pager_key),
    ]
    heads, actions, form, pager = fragments.render_parts(request, parts)
    # Joined here rather than by an {% include %} per post (an include costs a context push and a
    # template look-up each): each post is its head, its action bar and the article's end.
    posts_html = mark_safe("".join(f"{head}{action}</article>" for head, action in zip(heads, actions, strict=True)))
    return posts_html, (form[0] if form else ""), (pager[0] if pager else "")
