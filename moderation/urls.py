from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("decide/", views.decide, name="decide"),
    path("log/", views.audit_log, name="log"),
    path("members/<str:username>/", views.member_sanctions, name="member"),
    path("members/<str:username>/remove-content/", views.remove_member_content, name="remove_content"),
    path("sanctions/<int:sanction_id>/lift/", views.lift_sanction, name="lift_sanction"),
    path("my-sanctions/", views.my_sanctions, name="my_sanctions"),
    path("my-sanctions/<int:sanction_id>/acknowledge/", views.acknowledge_warning, name="acknowledge_warning"),
    path("words/", views.watched_words, name="watched_words"),
    path("words/new/", views.watched_word_edit, name="watched_word_new"),
    path("words/<int:word_id>/", views.watched_word_edit, name="watched_word_edit"),
    path("words/<int:word_id>/delete/", views.watched_word_delete, name="watched_word_delete"),
    path("report/<str:kind>/<int:object_id>/", views.report, name="report"),
]
