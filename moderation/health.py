"""What moderation brings to the CM workspace's health registry (registered at import, from moderation's ready())."""
