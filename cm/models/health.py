"""The health area's models."""
