"""What forums brings to the CM workspace's featuring registry (registered at import, from forums's ready())."""
