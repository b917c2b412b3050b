"""The casting area's pages under /cm/ (namespace "cm")."""

from django.urls import path

from . import views

urlpatterns = [
    path("casting/", views.board, name="casting"),
    path("casting/new/<str:username>/", views.cast, name="cast"),
    path("casting/<int:casting_id>/", views.detail, name="casting_detail"),
    path("casting/<int:casting_id>/withdraw/", views.withdraw, name="casting_withdraw"),
    path("casting/<int:casting_id>/pause/", views.pause, name="casting_pause"),
    path("casting/<int:casting_id>/resume/", views.resume, name="casting_resume"),
    path("casting/<int:casting_id>/retire/", views.retire, name="casting_retire"),
    path("casting/<int:casting_id>/renew/", views.renew, name="casting_renew"),
    path("casting/<int:casting_id>/end/", views.end, name="casting_end"),
    path("casting/<int:casting_id>/hand-over/", views.hand_over, name="casting_hand_over"),
    path("casting/<int:casting_id>/revoke/", views.revoke, name="casting_revoke"),
    path("casting/spaces/<int:space_id>/", views.space_history, name="casting_space"),
]
