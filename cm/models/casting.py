"""The casting area's models."""
