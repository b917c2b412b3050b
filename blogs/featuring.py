"""What blogs brings to the CM workspace's featuring registry (registered at import, from blogs's ready())."""
