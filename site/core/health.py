"""Liveness and readiness: the database and, when configured, Redis."""

import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse

HEALTH_PATH = "/healthz"


POOL_CHECK_TIMEOUT_S = 2


def check_database():
    pool = getattr(connection, "pool", None)
    if pool is not None:
        # Through the pool that serves requests, but without waiting its full timeout:
        # a health check must answer quickly when the server is gone.
        pool.open()
        with pool.connection(timeout=POOL_CHECK_TIMEOUT_S) as conn:
            conn.execute("SELECT 1").fetchone()
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_redis():
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def health_report():
    """Return (all_ok, report). Each check is timed; a failure is reported, not raised."""
    checks = {"database": check_database}
    if settings.REDIS_URL:
        checks["redis"] = check_redis
    report = {}
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "down"
            report[name] = {"ok": False, "error": exc.__class__.__name__}
        else:
            report[name] = {"ok": True}
        report[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return all(item["ok"] for item in report.values()), report


def healthz_response():
    ok, report = health_report()
    response = JsonResponse({"status": "ok" if ok else "unavailable", "checks": report})
    response.status_code = 200 if ok else 503
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers /healthz before host validation and HTTPS redirects, so a container
    health check on 127.0.0.1 over plain HTTP gets the real state."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == HEALTH_PATH and request.method in {"GET", "HEAD"}:
            return healthz_response()
        return self.get_response(request)
