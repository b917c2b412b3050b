"""The wiki's section of the home page (registered with community.home at startup): the pages
updated most recently. One query; public pages only (read by anyone, not deleted, showing text), so
the section is the same for every viewer."""

from community import home

from .models import Page

SHOWN = 6


def recently_updated(limit: int = SHOWN):
    return list(Page.objects.filter(read_level=0, is_deleted=False, current_revision__isnull=False)
                .order_by("-updated_at", "-pk").only("pk", "title", "path", "updated_at")[:limit])


home.register_section("wiki.recent", template="wiki/includes/home_recent.html", order=25,
                      data=lambda request: {"pages": recently_updated()})
