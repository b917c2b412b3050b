"""The scouting area's pages under /cm/ (namespace "cm")."""

from django.urls import path

from . import views

urlpatterns = [
    path("talent/", views.board, name="talent"),
    path("talent/run/", views.run_now, name="talent_run"),
    path("members/<str:username>/", views.member, name="member"),
    path("members/<str:username>/skills/<int:skill_id>/verify/", views.skill_verify, name="skill_verify"),
    path("members/<str:username>/notes/", views.note_add, name="note_add"),
    path("notes/<int:note_id>/delete/", views.note_delete, name="note_delete"),
]
