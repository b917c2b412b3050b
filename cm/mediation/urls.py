"""The mediation area's pages under /cm/ (namespace "cm")."""

urlpatterns = []
