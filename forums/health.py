"""What forums brings to the CM workspace's health registry (registered at import, from forums's ready())."""
