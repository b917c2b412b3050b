"""The wiki's URLs. Special pages live under `/wiki/_<name>/`, a page's actions under
`/wiki/<path>_<action>/` (a slug never starts with "_", wiki/paths.py), the page itself at
`/wiki/<path>` — last, so that nothing else is read as a path."""

from django.urls import path, re_path

from .paths import PATH_PATTERN
from .views import history, manage, pages, spine


def action(suffix, view, name):
    return re_path(rf"^{PATH_PATTERN}_{suffix}$", view, name=name)


app_name = "wiki"
urlpatterns = [
    # Special pages.
    path("_new/", pages.new, name="new"),
    path("_wanted/", pages.wanted, name="wanted"),
    path("_recent/", history.recent, name="recent"),
    path("_recent/feed/", history.recent_feed, name="recent_feed"),
    path("_contributions/<str:username>/", history.contributions, name="contributions"),
    path("_watchlist/", manage.watchlist, name="watchlist"),
    path("_patrol/", spine.patrol, name="patrol"),
    path("_patrol/<int:revision_id>/", spine.patrol_revision, name="patrol_revision"),
    # A page's actions.
    action("edit/", pages.edit, "edit"),
    action("links/", pages.links_here, "links_here"),
    action("history/", history.history, "history"),
    action(r"rev/(?P<number>[0-9]{1,9})/", history.revision, "revision"),
    action("diff/", history.diff, "diff"),
    action(r"revert/(?P<number>[0-9]{1,9})/", history.revert, "revert"),
    action("watch/", manage.watch, "watch"),
    action("protect/", manage.protect, "protect"),
    action("move/", manage.move, "move"),
    action("delete/", manage.delete, "delete"),
    action("undelete/", manage.undelete, "undelete"),
    action("log/", manage.log, "log"),
    action("discuss/", manage.discuss, "discuss"),
    # The root page, then every other page.
    path("", pages.page, name="index"),
    re_path(rf"^{PATH_PATTERN}$", pages.page, name="page"),
]
