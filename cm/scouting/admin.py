"""The scouting area's Django admin pages."""
