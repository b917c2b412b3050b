from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import adapters, views, workspace
from .notifications import views as notification_views

community_patterns = (
    [
        path("members/", views.member_list, name="members"),
        path("members/<str:username>/", views.profile_detail, name="profile"),
        path("accounts/profile/", views.profile_edit, name="profile_edit"),
        path("notifications/", notification_views.inbox, name="notifications"),
        path("notifications/bell/", notification_views.bell, name="notification_bell"),
        path("notifications/read-all/", notification_views.mark_all_read, name="notifications_read_all"),
        path("notifications/preferences/", notification_views.preferences, name="notification_preferences"),
        path("notifications/<int:notification_id>/", notification_views.go, name="notification_go"),
        path("notifications/<int:notification_id>/read/", notification_views.mark_read, name="notification_read"),
        path("notifications/unsubscribe/<str:token>/", notification_views.unsubscribe, name="unsubscribe"),
        path("search/", workspace.search, name="search"),
    ],
    "community",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # allauth's signup, with look-alike usernames refused as a form error even in a race (adapters.py)
    path("accounts/signup/", adapters.signup, name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("", include(community_patterns)),
    path("forums/", include("forums.urls")),
    # Wagtail serves the contributor spaces (its root page is the Contributors index) and its admin.
    path("spaces/", include("blogs.urls")),
    path("contributors/", include(wagtail_urls)),
    path("cms-door/", views.cms_door, name="cms_door"),  # WAGTAILADMIN_LOGIN_URL
    # Wagtail's own login form would be a second way in, past allauth's rate limits, email
    # verification and sanctions: its address leads to the one login.
    path("cms/login/", views.cms_door),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("wiki/", include("wiki.urls")),
    path("moderation/", include("moderation.urls")),
    path("cm/", include("cm.urls")),
    path("invitations/", include("cm.casting.member_urls")),
    path("announcements/", include("cm.curation.member_urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG or settings.DEMO:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
