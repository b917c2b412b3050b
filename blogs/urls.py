from django.urls import path

from . import views

app_name = "blogs"
urlpatterns = [
    path("<int:space_id>/follow/", views.follow, name="follow"),
    path("<int:space_id>/approval/", views.space_approval, name="space_approval"),
    path("posts/<int:post_id>/comment/", views.comment_create, name="comment_create"),
    path("comments/waiting/", views.waiting_comments, name="waiting_comments"),
    path("comments/review/<str:token>/", views.comment_review_link, name="comment_review_link"),
    path("comments/<int:comment_id>/", views.comment, name="comment"),
    path("comments/<int:comment_id>/reply/", views.comment_reply, name="comment_reply"),
    path("comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:comment_id>/history/", views.comment_history, name="comment_history"),
    path("comments/<int:comment_id>/moderate/", views.comment_moderate, name="comment_moderate"),
]
