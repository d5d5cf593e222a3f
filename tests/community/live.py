"""A real ASGI server (uvicorn) on the test database, for socket tests across processes
and for browser tests that need WebSockets (pytest-django's live server is WSGI only)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client

PROJECT = Path(settings.BASE_DIR)
UVICORN = Path(sys.executable).with_name("uvicorn")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env():
    """The test database (not the configured one) for the child processes."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "allas_site.settings.test",
           "REDIS_URL": settings.REDIS_URL, "PYTHONUNBUFFERED": "1"}
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(db["NAME"])
    else:
        user = urllib.parse.quote(db["USER"] or "")
        password = urllib.parse.quote(db["PASSWORD"] or "")
        auth = f"{user}:{password}@" if password else f"{user}@"
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        env["DATABASE_URL"] = f"postgresql://{auth}{host}/{db['NAME']}"
    return env


@contextmanager
def server():
    port = free_port()
    log = (PROJECT / "var" / f"cafe-test-server-{port}.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own venv's uvicorn, fixed arguments
        [str(UVICORN), "allas_site.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--lifespan", "off", "--log-level", "warning"],
        cwd=PROJECT, env=server_env(), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: see {log.name}")
            health = f"http://127.0.0.1:{port}/healthz"
            with suppress(OSError), urllib.request.urlopen(health, timeout=2):  # noqa: S310
                break
            if time.monotonic() > deadline:
                raise TimeoutError("server did not start")
            time.sleep(0.2)
        yield port
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        log.close()
        if process.returncode in (0, -signal.SIGTERM):
            Path(log.name).unlink(missing_ok=True)  # kept only when the server crashed


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
