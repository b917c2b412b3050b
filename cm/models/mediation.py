"""The mediation area's models."""
