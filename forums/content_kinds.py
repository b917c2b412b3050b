"""The forums' content kinds (the content protocol of community.content)."""

from django.utils.translation import gettext_lazy as _

from community import content

from .models import Post
from .notifications import can_view_post
from .services import post_visibility_changed

content.register(Post, name="forums.post", label=_("Post"), author="author", text="body",
                 on_visibility_change=post_visibility_changed, list_related=("author", "topic__forum"),
                 can_view=can_view_post)
