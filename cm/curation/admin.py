"""The curation area's Django admin pages."""
