"""What the forums tell lists of every kind of content (community.replying): a post is answered in
its topic's reply form, quoting it while it is public; it lives in its topic."""

from django.urls import reverse

from community import replying
from community.models import Visibility


def reply_form_url(post) -> str:
    url = reverse("forums:reply", args=[post.topic_id])
    if post.status == Visibility.PUBLISHED and not post.is_deleted:
        url += f"?quote={post.pk}"  # only a public post may be quoted (forums.selectors.quotable_post)
    return url


replying.register_reply_form("forums.post", reply_form_url)
replying.register_place("forums.post", lambda post: post.topic.title)
