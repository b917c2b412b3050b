"""The forums' section of the home page (registered with community.home at startup)."""

from community import home

from .selectors import latest_activity

home.register_section("forums.latest", template="forums/includes/home_latest.html", order=20,
                      data=lambda request: {"topics": latest_activity(request.user, limit=8)})
