"""What blogs brings to the CM workspace's casting registry (registered at import, from blogs's ready())."""
