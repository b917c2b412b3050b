"""The Redis cache backend, tuned so that a Redis outage degrades the site instead of breaking it."""

from django_redis.cache import RedisCache, omit_exception


class OutageTolerantRedisCache(RedisCache):
    """django-redis with IGNORE_EXCEPTIONS, except that `add()` says "stored" when Redis is down.

    Stock django-redis answers None (not stored) to `add()` while Redis is unreachable. allauth's
    rate limiter takes its lock with `cache.add()`, waits a second for it, then answers 429: every
    signup, login and password reset would fail for the whole outage. Nobody can hold a lock in a
    Redis that is down, so reporting success lets the request through: rate limits degrade (they
    are off until Redis is back, since reads miss and writes are dropped), the site stays up.
    """

    @omit_exception(return_value=True)
    def add(self, *args, **kwargs):
        return self.client.add(*args, **kwargs)
