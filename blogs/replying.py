"""What the spaces tell lists of every kind of content (community.replying): a comment is answered
by the reply-to-comment form; a comment lives under its post, a post is its own place."""

from django.urls import reverse

from community import replying

from .events import COMMENT_KIND, POST_KIND

replying.register_reply_form(COMMENT_KIND, lambda comment: reverse("blogs:comment_reply", args=[comment.pk]))
replying.register_place(COMMENT_KIND, lambda comment: comment.post.title)
replying.register_place(POST_KIND, lambda post: post.title)
