"""The curation area's pages under /cm/ (namespace "cm")."""

from django.urls import path

from . import views

urlpatterns = [
    path("curation/", views.curation, name="curation"),
    path("curation/features/new/", views.feature_new, name="curation_feature_new"),
    path("curation/features/<int:feature_id>/move/", views.feature_move, name="curation_feature_move"),
    path("curation/features/<int:feature_id>/end/", views.feature_end, name="curation_feature_end"),
    path("curation/features/<int:feature_id>/remove/", views.feature_remove, name="curation_feature_remove"),
    path("curation/announcements/new/", views.announcement_edit, name="curation_announcement_new"),
    path("curation/announcements/<int:announcement_id>/", views.announcement_edit, name="curation_announcement_edit"),
    path("curation/announcements/<int:announcement_id>/end/", views.announcement_end, name="curation_announcement_end"),
]
