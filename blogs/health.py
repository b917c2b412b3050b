"""What blogs brings to the CM workspace's health registry (registered at import, from blogs's ready())."""
