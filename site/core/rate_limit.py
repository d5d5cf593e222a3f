"""A per-person flood guard in the (shared) cache: a counter per fixed time window.

Used by the Café's posts and the webinar rooms' questions and votes. With Redis every
server process counts in the same place; on the embedded default the one process does.
"""

from django.core.cache import cache
from django.utils import timezone


def allow(action, user_id, limit):
    """Count one ``action`` by ``user_id``; False once more than ``limit`` =
    ``(times, seconds)`` happened in the current window."""
    times, seconds = limit
    key = f"{action}:rate:{user_id}:{int(timezone.now().timestamp()) // seconds}"
    cache.add(key, 0, timeout=seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 5)
        count = 1
    return count <= times
