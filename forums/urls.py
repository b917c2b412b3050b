from django.urls import path, re_path
from django.views.decorators.http import require_safe

from . import feeds, views

app_name = "forums"

FORUM = r"^(?P<forum_id>[0-9]+)-(?P<slug>[^/]+)/"
TOPIC = r"^t/(?P<topic_id>[0-9]+)-(?P<slug>[^/]+)/"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", require_safe(feeds.LatestTopicsFeed()), name="feed"),
    re_path(FORUM + r"$", views.forum_detail, name="forum"),
    re_path(FORUM + r"new/$", views.topic_create, name="topic_create"),
    re_path(FORUM + r"watch/$", views.forum_watch, name="forum_watch"),
    re_path(FORUM + r"mark-read/$", views.forum_mark_read, name="forum_mark_read"),
    re_path(FORUM + r"feed/$", require_safe(feeds.ForumTopicsFeed()), name="forum_feed"),
    re_path(TOPIC + r"$", views.topic_detail, name="topic"),
    path("t/<int:topic_id>/unread/", views.topic_unread, name="topic_unread"),
    path("t/<int:topic_id>/reply/", views.reply, name="reply"),
    path("t/<int:topic_id>/watch/", views.topic_watch, name="topic_watch"),
    re_path(r"^t/(?P<topic_id>[0-9]+)/(?P<action>pin|unpin|lock|unlock|move)/$", views.topic_moderate,
            name="topic_moderate"),
    path("p/<int:post_id>/", views.post_permalink, name="post"),
    path("p/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:post_id>/history/", views.post_history, name="post_history"),
    path("p/<int:post_id>/delete/", views.post_delete, name="post_delete"),
    path("p/<int:post_id>/like/", views.post_like, name="post_like"),
    path("p/<int:post_id>/accept/", views.post_accept, name="post_accept"),
    re_path(r"^p/(?P<post_id>[0-9]+)/(?P<action>hide|restore)/$", views.post_moderate, name="post_moderate"),
]
