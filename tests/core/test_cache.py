"""The Redis cache keeps working, from process memory, while Redis is unreachable, and
shares one connection pool per process however many backend objects Django builds."""

import asyncio
import logging

import pytest
from django.core.cache import caches
from django.core.cache.backends import locmem

from allas_site.core import cache as cache_module
from allas_site.core.cache import ResilientRedisCache

UNREACHABLE = ("redis://127.0.0.1:1/0",
               {"KEY_PREFIX": "t", "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})


@pytest.fixture
def unreachable():
    # Nothing listens on port 1: every Redis call is refused at once.
    backend = ResilientRedisCache(*UNREACHABLE)
    backend._fallback.clear()  # the fallback is shared by every backend of this process
    return backend


def test_reads_and_writes_fall_back_to_memory(unreachable):
    assert unreachable.get("missing") is None
    unreachable.set("page", "html", 60)
    assert unreachable.get("page") == "html"
    assert unreachable.add("page", "other") is False
    assert unreachable.get_or_set("built", lambda: 42) == 42
    unreachable.delete("page")
    assert unreachable.get("page") is None


def test_counters_still_count(unreachable):
    # A Café flood guard or allauth rate limit keeps counting, per process.
    unreachable.add("rate", 0, 60)
    assert unreachable.incr("rate") == 1
    assert unreachable.incr("rate") == 2
    with pytest.raises(ValueError):
        unreachable.incr("never-set")


def test_uses_redis_when_it_answers(settings):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    live = ResilientRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "allas-test-resilient"})
    live.set("shared", "from redis", 30)
    other_process = ResilientRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "allas-test-resilient"})
    assert other_process.get("shared") == "from redis"  # not the local fallback
    live.delete("shared")


def test_backends_share_one_client_and_fallback():
    # Django builds a cache backend per async context: under ASGI, per request and per
    # open socket. They must not each open a pool (and a connection) to Redis, nor add a
    # fallback cache that outlives them.
    first = ResilientRedisCache(*UNREACHABLE)
    fallbacks_before = len(locmem._caches)
    others = [ResilientRedisCache(*UNREACHABLE) for _ in range(20)]
    assert all(other._cache is first._cache for other in others)
    assert len(locmem._caches) == fallbacks_before
    first.set("seen-by-all", "yes")
    assert others[-1].get("seen-by-all") == "yes"
    different = ResilientRedisCache("redis://127.0.0.1:1/0", {"KEY_PREFIX": "other"})
    assert different._cache is not first._cache  # other options, other client


def test_each_async_context_gets_a_backend_but_the_same_client(settings):
    settings.CACHES = {"default": {"BACKEND": "allas_site.core.cache.ResilientRedisCache",
                                   "LOCATION": UNREACHABLE[0], **UNREACHABLE[1]}}

    async def one_request():
        backend = caches["default"]
        return backend, backend._cache

    async def many():
        return await asyncio.gather(*(asyncio.create_task(one_request()) for _ in range(5)))

    seen = asyncio.run(many())
    assert len({id(backend) for backend, _client in seen}) == 5  # Django's doing
    assert len({id(client) for _backend, client in seen}) == 1


def test_an_outage_is_logged_once_per_process_not_per_backend(caplog, monkeypatch):
    monkeypatch.setattr(cache_module, "_warned_at", {})
    backends = [ResilientRedisCache(*UNREACHABLE) for _ in range(5)]
    with caplog.at_level(logging.WARNING, logger="allas_site.core.cache"):
        for backend in backends:
            backend.get("anything")
    assert len([r for r in caplog.records if "Redis unreachable" in r.message]) == 1
