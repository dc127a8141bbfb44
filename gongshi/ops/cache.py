"""Django's Redis and local-memory caches, counting hits and misses for the metrics.

The same backends as Django's (settings.CACHES names these); ``get`` and ``get_many`` also
count whether the key was there, so ``gongshi_cache_gets_total`` gives the hit ratio.
"""

from __future__ import annotations

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from gongshi.ops.metrics import count_cache

_MISSING = object()


class _Counting:
    def get(self, key, default=None, version=None):
        value = super().get(key, _MISSING, version)
        if value is _MISSING:
            count_cache(0, 1)
            return default
        count_cache(1, 0)
        return value


class CountingRedisCache(_Counting, RedisCache):
    def get_many(self, keys, version=None):
        keys = list(keys)
        found = super().get_many(keys, version)
        count_cache(len(found), len(keys) - len(found))
        return found


class CountingLocMemCache(_Counting, LocMemCache):
    # LocMemCache's get_many calls get for each key, so each is counted once already.
    pass
