"""The health dashboard: the workspace's front page, and its figures as CSV."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("health.csv", views.dashboard_csv, name="dashboard_csv"),
]
