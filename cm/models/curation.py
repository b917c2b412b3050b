"""The curation area's models."""
