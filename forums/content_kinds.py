"""The forums' content kinds (the content protocol of community.content)."""

from django.utils.translation import gettext_lazy as _

from community import content

from .models import Post, TopicReadState
from .notifications import can_view_post
from .services import post_visibility_changed


def post_is_read(user, post) -> bool:
    """Content-protocol `is_read`: the member has read the topic up to this post (or past it)."""
    return TopicReadState.objects.filter(user_id=user.pk, topic_id=post.topic_id,
                                         last_read_position__gte=post.position).exists()


def posts_read_among(pairs) -> set[tuple[int, int]]:
    """Batched `is_read` for (user, post) pairs: one query whatever their number."""
    states = dict(
        ((user_id, topic_id), position) for user_id, topic_id, position in TopicReadState.objects.filter(
            user_id__in={user.pk for user, _post in pairs}, topic_id__in={post.topic_id for _user, post in pairs},
        ).values_list("user_id", "topic_id", "last_read_position")
    )
    return {(user.pk, post.pk) for user, post in pairs if states.get((user.pk, post.topic_id), 0) >= post.position}


def post_parts(post) -> list[str]:
    """An opening post speaks for its topic: checks (spam, watched words) see the title too."""
    if post.position == 1:
        return [post.topic.title, post.body]
    return [post.body]


content.register(Post, name="forums.post", label=_("Post"), author="author", text="body",
                 on_visibility_change=post_visibility_changed, list_related=("author", "topic__forum"),
                 can_view=can_view_post, is_read=post_is_read, read_among=posts_read_among,
                 parts=post_parts, created="created_at", deleted="is_deleted")
