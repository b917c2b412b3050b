"""The health dashboard's URLs (cm/health/urls.py): the dashboard and its CSV export are pages."""

PAGES = {"cm:dashboard", "cm:dashboard_csv"}
FORMS: set[str] = set()
ACTIONS: set[str] = set()
