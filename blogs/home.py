"""The spaces' section of the home page (registered with community.home at startup)."""

from community import home

from .models import spaces_with_latest_post

home.register_section("blogs.featured", template="blogs/includes/home_featured.html", order=10,
                      data=lambda request: {"spaces": spaces_with_latest_post(limit=6, archives=False)})
