"""The wiki's content kind on the spine (community.content): a revision.

The spam check and watched words read what the edit added (`added_text`) and its title, not the
whole page. (The spine area adds remove_all — reverting a member's edits — and patrol.)
"""

from django.utils.translation import gettext_lazy as _

from community import content
from community.permissions import may_read_page, may_view_content

from .events import REVISION_KIND
from .models import Revision


def can_view_revision(user, revision) -> bool:
    page = revision.page
    return (may_read_page(user, read_level_needed=page.read_level, deleted=page.is_deleted)
            and may_view_content(user, author_id=revision.author_id, status=revision.status))


def revision_visibility_changed(revision, old, new) -> None:
    from .services.editing import refresh_current

    refresh_current(revision.page)


def revision_parts(revision) -> list:
    return [revision.title, revision.added_text]


content.register(Revision, name=REVISION_KIND, label=_("Wiki edit"), author="author", text="added_text",
                 list_related=("author", "page"), can_view=can_view_revision, parts=revision_parts,
                 on_visibility_change=revision_visibility_changed, created="created_at")
