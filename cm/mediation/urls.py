"""The mediation area's pages under /cm/ (namespace "cm"): the brand-watch inbox and escalations."""

from django.urls import path

from . import views

urlpatterns = [
    path("watch/", views.watch, name="watch"),
    path("watch/<int:alert_id>/take/", views.watch_change, {"change": "take"}, name="watch_take"),
    path("watch/<int:alert_id>/release/", views.watch_change, {"change": "release"}, name="watch_release"),
    path("watch/<int:alert_id>/done/", views.watch_change, {"change": "done"}, name="watch_done"),
    path("watch/<int:alert_id>/reopen/", views.watch_change, {"change": "reopen"}, name="watch_reopen"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalate/item/<str:kind>/<int:object_id>/", views.escalate, {"what": "item"}, name="escalate_item"),
    path("escalate/report/<int:report_id>/", views.escalate, {"what": "report"}, name="escalate_report"),
    path("escalate/member/<str:username>/", views.escalate, {"what": "member"}, name="escalate_member"),
]
