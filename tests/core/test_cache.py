"""The Redis cache keeps working, from process memory, while Redis is unreachable."""

import pytest

from allas_site.core.cache import ResilientRedisCache


@pytest.fixture
def unreachable():
    # Nothing listens on port 1: every Redis call is refused at once.
    return ResilientRedisCache(
        "redis://127.0.0.1:1/0",
        {"KEY_PREFIX": "t", "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
    )


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
