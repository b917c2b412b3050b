"""The scouting area's pages under /cm/ (namespace "cm")."""

urlpatterns = []
