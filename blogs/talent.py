"""What blogs brings to the CM workspace's talent registry (registered at import, from blogs's ready())."""
