from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("decide/", views.decide, name="decide"),
    path("log/", views.audit_log, name="log"),
    path("report/<str:kind>/<int:object_id>/", views.report, name="report"),
]
