"""What blogs brings to the CM workspace's activity registry (registered at import, from blogs's ready())."""
