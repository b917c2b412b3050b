"""What members do with curated things (/announcements/…: dismiss a banner)."""

from django.urls import path

from . import views

app_name = "announcements"
urlpatterns = [path("<int:announcement_id>/dismiss/", views.dismiss, name="dismiss")]
