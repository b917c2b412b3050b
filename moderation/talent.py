"""What moderation brings to the CM workspace's talent registry (registered at import, from moderation's ready())."""
