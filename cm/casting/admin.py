"""The casting area's Django admin pages."""
