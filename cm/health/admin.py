"""The health area's Django admin pages."""
