"""What people searched for, counted without a database write per search.

Each search adds one to a counter (``record``); the counters reach ``QueryStat`` (one
row per query, language and day: the editors' report) in one statement per batch
(``flush``). With Redis the counters are a hash there, shared by every server process:
a search costs one round trip, the first search after ``FLUSH_SECONDS`` writes what
all processes counted, and the report flushes before it reads, so it counts every
search made until then. Without Redis (the embedded default, one process), or while
Redis is unreachable, the counters wait in this process's memory, and are written by
the first search after ``FLUSH_SECONDS``, by the report, or when the process exits.
"""

import atexit
import contextlib
import json
import logging
import threading
import time
from datetime import date

from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger(__name__)
FLUSH_SECONDS = 30
# Written at once when this many different queries wait in this process.
MAX_PENDING = 500

_lock = threading.Lock()
_pending = {}  # (query, language, day ISO) -> [hits, empty_hits]
_pending_since = None
_client = None
_redis_down_until = 0.0
RETRY_REDIS_SECONDS = 10


def _redis_failed(error):
    global _redis_down_until
    _redis_down_until = time.monotonic() + RETRY_REDIS_SECONDS
    logger.warning("Search statistics kept in this process (Redis: %r)", error)


def _key(name):
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return f"{prefix}:search-stats:{name}"


def _redis():
    """A client for the cache's Redis (same database: clearing the cache clears the
    counters too), or None (also for a while after Redis failed: a search must not
    wait for its timeout each time)."""
    global _client
    url = getattr(settings, "REDIS_URL", "")
    if not url or time.monotonic() < _redis_down_until:
        return None
    if _client is None or _client[0] != url:
        import redis

        _client = (url, redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1))
    return _client[1]


def record(query, language, day, empty):
    """Count one search of ``query`` (normalised) in ``language`` on ``day``."""
    client = _redis()
    if client is not None:
        import redis

        field = json.dumps([query, language, day.isoformat(), int(empty)])
        try:
            pipe = client.pipeline(transaction=False)
            pipe.hincrby(_key("pending"), field, 1)
            # One process per FLUSH_SECONDS gets the turn to write.
            pipe.set(_key("turn"), 1, nx=True, ex=FLUSH_SECONDS)
            _, turn = pipe.execute()
        except redis.RedisError as error:
            _redis_failed(error)
        else:
            if turn:
                flush()
            return
    _count_here(query, language, day.isoformat(), int(empty))


def _count_here(query, language, day, empty):
    global _pending_since
    with _lock:
        counts = _pending.setdefault((query, language, day), [0, 0])
        counts[0] += 1
        counts[1] += empty
        if _pending_since is None:
            _pending_since = time.monotonic()
        due = (time.monotonic() - _pending_since >= FLUSH_SECONDS
               or len(_pending) >= MAX_PENDING)
    if due:
        flush()


def _take_here():
    global _pending, _pending_since
    with _lock:
        taken, _pending, _pending_since = _pending, {}, None
    return taken


def _take_shared():
    """Everything counted in Redis, removed from there at once (a rename: a search
    counting meanwhile starts a new hash)."""
    client = _redis()
    if client is None:
        return {}
    import redis

    taking = _key(f"taking:{time.time_ns()}")
    try:
        client.rename(_key("pending"), taking)
    except redis.ResponseError:  # nothing counted
        return {}
    except redis.RedisError as error:
        _redis_failed(error)
        return {}
    try:
        raw = client.hgetall(taking)
        client.delete(taking)
    except redis.RedisError as error:
        _redis_failed(error)  # those counts are lost (Redis went away meanwhile)
        return {}
    counts = {}
    for field, hits in raw.items():
        query, language, day, empty = json.loads(field)
        entry = counts.setdefault((query, language, day), [0, 0])
        entry[0] += int(hits)
        entry[1] += int(hits) if empty else 0
    return counts


def flush():
    """Write every waiting count into ``QueryStat``; returns how many rows it touched."""
    counts = _take_here()
    for key, (hits, empty) in _take_shared().items():
        entry = counts.setdefault(key, [0, 0])
        entry[0] += hits
        entry[1] += empty
    if not counts:
        return 0
    from search.models import QueryStat

    table = QueryStat._meta.db_table
    rows = sorted(counts.items())
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    params = [value for (query, language, day), (hits, empty) in rows
              for value in (query, language, date.fromisoformat(day), hits, empty)]
    # One statement on both databases (an upsert on the unique query, language, day).
    sql = (
        f"INSERT INTO {table} (query, language, day, hits, empty_hits) "  # noqa: S608
        f"VALUES {values} ON CONFLICT (query, language, day) DO UPDATE SET "
        f"hits = {table}.hits + excluded.hits, "
        f"empty_hits = {table}.empty_hits + excluded.empty_hits"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return len(rows)


def discard():
    """Forget this process's waiting counts (tests)."""
    _take_here()


@atexit.register
def _flush_at_exit():
    if not _pending:
        return
    from django.db import DatabaseError

    # The database may be gone (a test run's, dropped before exit) or down: the last
    # seconds' counts are then lost, which a report of popular queries can afford.
    with contextlib.suppress(DatabaseError):
        flush()
