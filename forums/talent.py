"""What forums brings to the CM workspace's talent registry (registered at import, from forums's ready())."""
