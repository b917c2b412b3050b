"""The casting area's pages under /cm/ (namespace "cm")."""

urlpatterns = []
