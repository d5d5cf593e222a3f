"""Database sessions that report an outage as an outage.

Django's database session store turns any database error while saving into
``UpdateError``, which the session middleware answers as a 400 "session interrupted".
When the database is unreachable that is wrong (the visitor did nothing wrong) and
hides the outage from the 503 handler, so such an error is raised as itself.
"""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from allas_site.core import outage


class SessionStore(DatabaseSessionStore):
    def save(self, must_create=False):
        try:
            return super().save(must_create=must_create)
        except UpdateError as error:
            cause = error.__context__
            if cause is not None and outage.outage_kind(cause) is not None:
                raise cause from None
            raise
