"""A per-process memo bounded by the bytes it holds, not by its number of entries.

The page parts kept in each server process (``page_cache.remember``: shared fragments,
listings, a debate's pages of posts) range from a few hundred bytes to tens of
kilobytes, and new keys keep coming (a relative time's minute is part of some), so a
count of entries said little about memory: a loaded process held thousands of them
and grew past its budget. Here the least recently used entries go once the total
passes ``max_bytes``.

Values are kept pickled, as Django's local-memory cache keeps them, so each ``get``
hands out a fresh copy that the caller may change. Immutable values (strings, such as
rendered markup, numbers, and tuples of them) are kept as they are: nobody can change
them, and unpickling a page's twenty-odd fragments cost more than rendering some. A
value set with ``shared=True`` is handed out as it is too: its callers promise to copy
what they change (unpickling a listing of model instances cost a tenth of a page).
"""

import pickle
import sys
import threading
import time
from collections import OrderedDict

from django.utils.safestring import SafeString

# What an entry costs besides its pickled value: its key, the tuple and the dict slot.
ENTRY_OVERHEAD = 200
# Exact types, not subclasses: a subclass of str may carry changeable attributes.
IMMUTABLE = (str, SafeString, bytes, int, float, bool, type(None))


def _immutable_size(value):
    """The bytes an immutable value holds, or None when it can be changed."""
    if type(value) in IMMUTABLE:
        return sys.getsizeof(value)
    if type(value) is tuple:
        total = sys.getsizeof(value)
        for item in value:
            size = _immutable_size(item)
            if size is None:
                return None
            total += size
        return total
    return None


class _Pickled(bytes):
    """A changeable value, kept pickled."""


class BoundedMemo:
    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self._entries = OrderedDict()  # key -> (expires at (monotonic), value, size)
        self._bytes = 0
        self._lock = threading.Lock()  # sync views of one process run in several threads

    @property
    def size(self):
        """Bytes held now (values plus the per-entry overhead)."""
        return self._bytes

    def __len__(self):
        return len(self._entries)

    def get(self, key, default=None):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return default
            if entry[0] <= time.monotonic():
                self._drop(key)
                return default
            self._entries.move_to_end(key)
            data = entry[1]
        if type(data) is _Pickled:
            return pickle.loads(data)  # noqa: S301 - only this process wrote it
        return data

    def set(self, key, value, timeout, shared=False):
        data, size = value, _immutable_size(value)
        if size is None:
            pickled = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
            # A shared value's size is that of its pickle: near enough for a budget.
            data, size = (value, len(pickled)) if shared else (_Pickled(pickled), len(pickled))
        size += len(key) + ENTRY_OVERHEAD
        with self._lock:
            if key in self._entries:
                self._drop(key)
            if size > self.max_bytes:
                return  # larger than the whole memo: built again each time
            self._entries[key] = (time.monotonic() + timeout, data, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def delete(self, key):
        with self._lock:
            if key in self._entries:
                self._drop(key)

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key):
        self._bytes -= self._entries.pop(key)[2]
