"""The mediation area's Django admin pages."""
