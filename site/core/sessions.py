"""Sessions kept in the database and read from the cache.

A signed-in member's every page read their session row (one query per request). The
session now also lives in the shared cache (Django's cached_db store): pages read it
from there, writes go to both, and a session the cache lost is read from the database
again. The cached copy lives at most CACHE_SECONDS: while Redis is unreachable the
cache answers from process memory (core.cache), so a log-out during an outage deletes
only that copy, and the one Redis kept could otherwise outlive it for the session's
whole age once Redis answers again.

Django's database session store turns any database error while saving into
``UpdateError``, which the session middleware answers as a 400 "session interrupted".
When the database is unreachable that is wrong (the visitor did nothing wrong) and
hides the outage from the 503 handler, so such an error is raised as itself.
"""

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseStore
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore

from allas_site.core import outage

CACHE_SECONDS = 60


class SessionStore(CachedDatabaseStore):
    cache_key_prefix = "allas.sessions."

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # an invalid key: read the database, as cached_db does
            data = None
        if data is None:
            row = self._get_session_from_db()
            data = self.decode(row.session_data) if row else {}
            if row:
                self._cache.set(self.cache_key, data, self._cache_seconds(row.expire_date))
        return data

    def save(self, must_create=False):
        try:
            DatabaseStore.save(self, must_create=must_create)
        except UpdateError as error:
            cause = error.__context__
            if cause is not None and outage.outage_kind(cause) is not None:
                raise cause from None
            raise
        self._cache.set(self.cache_key, self._session, self._cache_seconds())

    # Django's async session methods (used by async views and channels) take the same
    # path, so the cached copy's lifetime is bounded the same way.
    async def aload(self):
        return await sync_to_async(self.load)()

    async def asave(self, must_create=False):
        return await sync_to_async(self.save)(must_create=must_create)

    def _cache_seconds(self, expiry=None):
        age = self.get_expiry_age(expiry=expiry) if expiry else self.get_expiry_age()
        return max(0, min(age, CACHE_SECONDS))
