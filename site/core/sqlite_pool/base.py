"""The embedded SQLite database, with its connections kept open for the next request.

Django opens a connection for every request that queries and closes it at the end
(under ASGI each request has its own, so they cannot be made persistent). For SQLite the
cost is not the open but the first statement on a new connection: reading the schema of
a Wagtail site (~150 tables) and mapping the WAL took ~1.5 ms, more than a whole
signed-in page's queries. A closed connection is therefore handed back to a small pool
of this process, clean (no transaction, foreign keys on), and the next request takes it.

A connection closed inside an atomic block is really closed: Django keeps referring to
it until the block ends. In-memory databases are never closed anyway (Django's rule).
"""

import os
import threading

from django.db.backends.sqlite3 import base

# Idle connections kept per process and database file; more than the threads that query
# at once in one process (the request thread and the consumers' worker threads).
IDLE_MAX = 8

_lock = threading.Lock()
_idle = {}  # (pid, database) -> [sqlite3 connections]


def _key(conn_params):
    # Per process: a connection must never cross a fork.
    return os.getpid(), str(conn_params.get("database"))


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        key = _key(conn_params)
        with _lock:
            idle = _idle.get(key)
            connection = idle.pop() if idle else None
        if connection is not None:
            return connection
        connection = super().get_new_connection(conn_params)
        return connection

    def _close(self):
        connection = self.connection
        if connection is None:
            return None
        if self.in_atomic_block or self.is_in_memory_db():
            return super()._close()
        try:
            if connection.in_transaction:
                connection.rollback()
            # Migrations and fixtures turn the checks off for a while: never hand that on.
            connection.execute("PRAGMA foreign_keys = ON")
        except base.Database.Error:
            return super()._close()
        key = _key(self.get_connection_params())
        with _lock:
            idle = _idle.setdefault(key, [])
            if len(idle) < IDLE_MAX:
                idle.append(connection)
                return None
        return super()._close()
