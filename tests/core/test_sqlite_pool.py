"""The embedded SQLite backend keeps closed connections for the next request
(core.sqlite_pool), clean: never a transaction or an atomic block carried over."""

import pytest
from django.db import connection

from allas_site.core.sqlite_pool import base as sqlite_pool

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite",
                                reason="the pool is the embedded SQLite backend's")


@pytest.fixture
def wrapper(tmp_path, django_db_blocker):
    # A database of its own (not the test database), opened outside pytest-django's guard.
    with django_db_blocker.unblock():
        yield from _wrappers(tmp_path)


def _wrappers(tmp_path):
    settings = {**connection.settings_dict, "NAME": str(tmp_path / "pool.sqlite3")}
    made = []

    def make():
        made.append(sqlite_pool.DatabaseWrapper(settings, alias=f"pool-{len(made)}"))
        return made[-1]

    first = make()
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
    first.close()
    yield make
    for each in made:
        each.close()
    with sqlite_pool._lock:
        for connections in sqlite_pool._idle.values():
            while connections:
                connections.pop().close()


def raw(db):
    db.ensure_connection()
    return db.connection


def test_a_closed_connection_is_taken_by_the_next_request(wrapper):
    first = wrapper()
    opened = raw(first)
    first.close()
    second = wrapper()
    assert raw(second) is opened
    with second.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
        cursor.execute("INSERT INTO note (text) VALUES ('hola')")  # autocommit again
    second.close()
    third = wrapper()
    with third.cursor() as cursor:
        cursor.execute("SELECT text FROM note")
        assert cursor.fetchall() == [("hola",)]


def test_an_unfinished_transaction_is_rolled_back_not_handed_on(wrapper):
    first = wrapper()
    first.set_autocommit(False)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO note (text) VALUES ('a medias')")
    first.close()
    second = wrapper()
    with second.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM note")
        assert cursor.fetchone()[0] == 0
    assert not raw(second).in_transaction


def test_a_connection_closed_inside_an_atomic_block_is_really_closed(wrapper):
    db = wrapper()
    opened = raw(db)
    db.in_atomic_block = True  # as inside transaction.atomic(): Django still refers to it
    db.close()
    db.in_atomic_block = False
    assert not any(opened in idle for idle in sqlite_pool._idle.values())
    with pytest.raises(Exception):  # noqa: B017, PT011 - sqlite3.ProgrammingError: closed
        opened.execute("SELECT 1")


def test_the_idle_connections_are_bounded(wrapper, monkeypatch):
    monkeypatch.setattr(sqlite_pool, "IDLE_MAX", 2)
    open_ones = [wrapper() for _index in range(4)]
    for db in open_ones:
        raw(db)
    for db in open_ones:
        db.close()
    key = sqlite_pool._key(open_ones[0].get_connection_params())
    assert len(sqlite_pool._idle[key]) == 2
