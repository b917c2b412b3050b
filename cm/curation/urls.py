"""The curation area's pages under /cm/ (namespace "cm")."""

urlpatterns = []
