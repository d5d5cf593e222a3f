"""Django's Redis cache, made to survive a Redis outage.

Everything the platform keeps in the cache can be rebuilt: cached pages, home sections,
rate-limit counters. So while Redis is unreachable (stopped, restarting, loading its
data) the cache answers from a local-memory cache in this process instead of raising,
and pages, log-ins and posts keep working. Rate limits then count per process, which
is weaker but never off. When Redis answers again it is used again at once; what the
local cache held meanwhile is simply forgotten.

Django's cache handler builds a backend object per async context: under ASGI, one per
request and one per open socket. The Redis connection pool, the fallback and the outage
warning's clock are therefore kept per process and configuration, not per backend: each
backend used to open its own pool and connection to Redis (a new TCP connection per
request, one held per socket) and add a fallback cache that was never freed.
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
WARN_EVERY_S = 10.0

# The cache API that touches the server. BaseCache's other helpers (get_or_set, decr,
# incr_version...) are built on these, so they inherit the fallback.
_OPERATIONS = (
    "add", "get", "set", "touch", "delete", "get_many", "has_key", "incr",
    "set_many", "delete_many", "clear",
)


def _resilient(name):
    redis_method = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        try:
            return redis_method(self, *args, **kwargs)
        except UNREACHABLE as exc:
            self._warn(name, exc)
            return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = redis_method.__doc__
    return method


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis-py ``Redis`` object (and its table of ~170
    response callbacks) for every operation; the object only wraps the connection pool
    and is safe to share between threads, so one per pool is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


_clients = {}  # (servers, options) -> ReusedClientRedisCacheClient
_clients_lock = threading.Lock()
_warned_at = {}  # servers -> monotonic time of the last outage warning


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._client_key = (tuple(self._servers), repr(sorted(self._options.items())))
        # LocMemCache instances with the same name share their storage.
        prefix = params.get("KEY_PREFIX", "")
        self._fallback = LocMemCache(
            f"redis-fallback:{self._client_key[0]}:{prefix}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "KEY_PREFIX": prefix},
        )

    @cached_property
    def _cache(self):
        client = _clients.get(self._client_key)
        if client is None:
            with _clients_lock:
                client = _clients.get(self._client_key)
                if client is None:
                    client = self._class(self._servers, **self._options)
                    _clients[self._client_key] = client
        return client

    def _warn(self, operation, exc):
        now = time.monotonic()
        servers = self._client_key[0]
        if now - _warned_at.get(servers, -WARN_EVERY_S) >= WARN_EVERY_S:
            _warned_at[servers] = now
            logger.warning(
                "Redis unreachable (%s: %r): using this process's memory", operation, exc
            )


for _name in _OPERATIONS:
    setattr(ResilientRedisCache, _name, _resilient(_name))
