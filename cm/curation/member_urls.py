"""What members do with curated things (/announcements/…: dismiss a banner)."""

app_name = "announcements"
urlpatterns = []
