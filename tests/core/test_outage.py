"""Outages answer a branded 503 with Retry-After; bugs stay 500s; nothing stays broken."""

import threading

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError, connection, transaction
from django.test import AsyncClient, Client

from allas_site.accounts.models import User
from allas_site.core import outage
from tests.core import outage_urls

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outage_urls(settings):
    settings.ROOT_URLCONF = "tests.core.outage_urls"
    outage.reset()
    yield
    outage.reset()


def assert_branded_503(response, lang="es"):
    assert response.status_code == 503
    assert response["Retry-After"] == str(outage.RETRY_AFTER_S)
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert f'<html lang="{lang}"' in body
    assert "AL-LAs Campus" in body
    assert "Traceback" not in body


def test_database_outage_in_a_view_is_a_503():
    response = Client(raise_request_exception=False).get("/fallo/base-de-datos/")
    assert_branded_503(response)
    assert "Volvemos enseguida" in response.content.decode()


def test_redis_outage_in_a_view_is_a_503():
    response = Client(raise_request_exception=False).get("/fallo/redis/")
    assert_branded_503(response)


@pytest.mark.parametrize(
    ("path", "lang", "title"),
    [
        ("/cuadernos/", "es", "Volvemos enseguida"),
        ("/en/cuadernos/", "en", "We’ll be right back"),
        ("/fr/cuadernos/", "fr", "Nous revenons tout de suite"),
        ("/pt/cuadernos/", "pt", "Voltamos já"),
    ],
)
def test_the_503_speaks_the_language_of_the_url(rf, path, lang, title):
    response = outage.unavailable_response(rf.get(path), "redis")
    assert_branded_503(response, lang)
    assert title in response.content.decode().replace("&#x27;", "’")


def test_a_bug_stays_a_500_and_shows_no_traceback(monkeypatch):
    monkeypatch.setattr(outage, "probe_services", lambda: None)
    response = Client(raise_request_exception=False).get("/fallo/error/")
    assert response.status_code == 500
    assert "Traceback" not in response.content.decode()
    assert "Retry-After" not in response


def test_sqlite_errors_that_are_bugs_are_not_outages():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own error messages")
    assert outage.outage_kind(OperationalError("no such column: x")) is None
    assert outage.outage_kind(OperationalError("database is locked")) == "database"


def test_an_outage_wrapped_in_another_error_is_recognised():
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as inner:
            raise RuntimeError("template failed") from inner
    except RuntimeError as outer:
        if connection.vendor == "sqlite":
            pytest.skip("on SQLite only a lock is an outage")
        assert outage.outage_kind(outer) == "database"


def test_breaker_answers_at_once_then_recovers():
    client = Client(raise_request_exception=False)
    outage_urls.SERVED.clear()
    assert client.get("/fallo/base-de-datos/").status_code == 503  # trips the breaker
    assert_branded_503(client.get("/fallo/bien/"))
    assert outage_urls.SERVED == []  # answered before the view, without waiting for a pool
    outage.reset()  # what the passing of BREAKER_S seconds does
    assert client.get("/fallo/bien/").status_code == 200
    assert outage_urls.SERVED == ["/fallo/bien/"]


async def test_a_failing_session_save_under_asgi_is_a_503(monkeypatch):
    """Middleware errors reach the 500 handler without the exception under ASGI: the
    handler asks the services, and a database that is down makes it a 503."""

    def refuse(self, must_create=False):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(SessionStore, "save", refuse)
    monkeypatch.setattr(outage, "probe_services", lambda: "database")
    response = await AsyncClient(raise_request_exception=False).get("/fallo/sesion/")
    assert_branded_503(response)


async def test_without_an_outage_the_same_failure_stays_a_500(monkeypatch):
    def refuse(self, must_create=False):
        raise ValueError("a bug in the session code")

    monkeypatch.setattr(SessionStore, "save", refuse)
    monkeypatch.setattr(outage, "probe_services", lambda: None)
    response = await AsyncClient(raise_request_exception=False).get("/fallo/sesion/")
    assert response.status_code == 500


def test_probe_finds_a_redis_that_is_not_there(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    assert outage.probe_services() == "redis"


def test_probe_finds_a_postgresql_that_is_not_there(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the embedded SQLite cannot be down")
    real = connection.get_connection_params

    def dead_port():
        params = real()
        params["port"] = 1
        return params

    monkeypatch.setattr(connection, "get_connection_params", dead_port)
    assert outage.probe_services() == "database"


def test_probe_is_quiet_when_everything_is_up():
    assert outage.probe_services() is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_see_database_is_locked():
    """Read-then-write transactions from many threads: on SQLite without immediate
    transactions the upgrade from reader to writer fails at once."""
    User.objects.create_user(email="contador@example.org", password="x-Cl4ve-larga")
    errors = []

    def worker(n):
        try:
            for i in range(10):
                with transaction.atomic():
                    user = User.objects.get(email="contador@example.org")
                    user.bio = f"{n}-{i}"
                    user.save(update_fields=["bio"])
                    User.objects.create_user(email=f"w{n}-{i}@example.org", password=None)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert User.objects.count() == 81


def test_answers_from_the_breaker_do_not_keep_it_shut(monkeypatch):
    """Under steady traffic the breaker must still close BREAKER_S after the last real
    failure, not after the last refused request."""
    clock = [1000.0]
    monkeypatch.setattr(outage.time, "monotonic", lambda: clock[0])
    client = Client(raise_request_exception=False)
    assert client.get("/fallo/base-de-datos/").status_code == 503  # a real failure
    for _ in range(5):
        clock[0] += outage.BREAKER_S / 4
        client.get("/fallo/bien/")  # refused by the breaker, or served once it closed
    clock[0] += 0.01
    assert client.get("/fallo/bien/").status_code == 200


def test_a_session_that_cannot_be_saved_in_an_outage_is_a_503(monkeypatch):
    from django.db.models import Model

    def refuse(self, *args, **kwargs):
        if connection.vendor == "sqlite":
            raise OperationalError("database is locked")
        raise OperationalError("couldn't get a connection after 10.00 sec")

    client = Client(raise_request_exception=False)
    assert client.get("/fallo/sesion/").status_code == 200  # the session row exists
    monkeypatch.setattr(Model, "save", refuse)
    response = client.get("/fallo/sesion/")
    assert_branded_503(response)
