"""What forums brings to the CM workspace's activity registry (registered at import, from forums's ready())."""
