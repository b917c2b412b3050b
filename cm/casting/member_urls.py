"""A member's invitations (/invitations/…): the cast member answers here; not under /cm/, which is
for CMs only."""

from django.urls import path

from . import member_views

app_name = "invitations"
urlpatterns = [
    path("", member_views.invitations, name="list"),
    path("<int:casting_id>/", member_views.invitation, name="detail"),
    path("<int:casting_id>/accept/", member_views.accept, name="accept"),
    path("<int:casting_id>/decline/", member_views.decline, name="decline"),
]
