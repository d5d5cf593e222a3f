import pytest
from django.db import OperationalError

from allas_site.core import health

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert ("redis" in body["checks"]) == bool(settings.REDIS_URL)
    assert response["Cache-Control"] == "no-store"


def test_healthz_answers_any_host_and_plain_http(client, settings):
    # Container health checks call 127.0.0.1 over HTTP, before any proxy.
    settings.ALLOWED_HOSTS = ["campus.example"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "ok": False, "error": "OperationalError", "ms": response.json()["checks"]["database"]["ms"]
    }


def test_healthz_is_503_when_redis_is_configured_but_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True
