"""The scouting area's models."""
