"""The Dockerfile, compose.yaml and the project agree on how production is served.

scripts/serve-production.sh is the one place the server command is written: the Dockerfile
CMD runs it, compose.yaml's web service inherits that CMD, and the last test starts it for
real. The ASGI app path comes from settings.ASGI_APPLICATION and the health path from
allas_site.core.health, so changing a port, an app path or a health path in one place only
fails here.
"""

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from ruamel.yaml import YAML
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect as ws_connect

from allas_site.core.health import HEALTH_PATH

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
SERVE_SCRIPT = ROOT / "scripts" / "serve-production.sh"

# How each supported ASGI server spells its bind options.
SERVER_OPTIONS = {
    "uvicorn": {"host": "--host", "port": "--port"},
    "granian": {"host": "--host", "port": "--port"},
    "daphne": {"host": "-b", "port": "-p"},
}
URL = re.compile(r"http://(?P<host>[\w.]+):(?P<port>\d+)(?P<path>/[^\s'\"]*)")
DEFAULT = re.compile(r"\$\{\w+:-([^}]*)\}")
APP_SERVICE_ENV = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"}


# --- parsing -----------------------------------------------------------------------------------


def logical_lines(text):
    """Lines with backslash continuations joined; comments and blank lines dropped."""
    lines, current = [], ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped.startswith("#") or not stripped:
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append(current + stripped)
        current = ""
    if current:
        lines.append(current)
    return lines


def dockerfile_stages():
    """[[(INSTRUCTION, arguments), ...] per stage], with global ARG defaults substituted."""
    global_args, stages = {}, []
    for line in logical_lines(DOCKERFILE.read_text()):
        instruction, _, arguments = line.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            for name, value in global_args.items():
                arguments = arguments.replace(f"${{{name}}}", value).replace(f"${name}", value)
            stages.append([])
        elif not stages and instruction == "ARG":
            name, _, value = arguments.partition("=")
            global_args[name] = value
            continue
        if stages:
            stages[-1].append((instruction, arguments.strip()))
    return stages


def instructions(stage, name):
    return [arguments for instruction, arguments in stage if instruction == name]


def exec_form(arguments):
    value = json.loads(arguments)
    assert isinstance(value, list), f"not exec form: {arguments}"
    return value


def healthcheck_command(stage):
    (healthcheck,) = instructions(stage, "HEALTHCHECK")
    _options, _, command = healthcheck.partition("CMD ")
    return exec_form(command)


def served_command():
    """The server argv of the script's `exec` line, with ${VAR:-default} at its default."""
    execs = [line for line in logical_lines(SERVE_SCRIPT.read_text()) if line.startswith("exec ")]
    assert len(execs) == 1, "the script must exec exactly one server command"
    return [DEFAULT.sub(r"\1", word) for word in shlex.split(execs[0])[1:]]


def option(argv, name):
    assert name in argv, f"{name} missing from {argv}"
    return argv[argv.index(name) + 1]


def served_port():
    argv = served_command()
    return int(option(argv, SERVER_OPTIONS[argv[0]]["port"]))


def compose_services():
    return YAML(typ="safe").load(COMPOSE.read_text())["services"]


def web_services(services):
    # Services running the image's own CMD (the web server), i.e. no command override.
    return {
        name: service
        for name, service in services.items()
        if "build" in service and "command" not in service
    }


def probe_url(argv):
    match = URL.search(" ".join(argv))
    assert match, f"no http URL in health check {argv}"
    return match


# --- Dockerfile --------------------------------------------------------------------------------


def test_dockerfile_cmd_runs_the_production_script():
    runtime = dockerfile_stages()[-1]
    (cmd,) = instructions(runtime, "CMD")
    command = exec_form(cmd)
    assert len(command) == 1 and command[0].endswith("/scripts/serve-production.sh")
    copies = [shlex.split(arguments) for arguments in instructions(runtime, "COPY")]
    assert any(
        words[-2] == "scripts/serve-production.sh" and words[-1] == command[0] for words in copies
    ), "the runtime stage must COPY scripts/serve-production.sh to the CMD path"


def test_production_command_serves_the_project_asgi_app_on_all_interfaces():
    argv = served_command()
    assert argv[0] in SERVER_OPTIONS, f"unknown server {argv[0]}"
    module, _, attribute = settings.ASGI_APPLICATION.rpartition(".")
    assert f"{module}:{attribute}" in argv
    assert option(argv, SERVER_OPTIONS[argv[0]]["host"]) == "0.0.0.0"  # noqa: S104
    if argv[0] == "granian":
        assert option(argv, "--interface") in {"asgi", "asginl"}


def test_image_exposes_and_health_checks_the_served_port():
    runtime = dockerfile_stages()[-1]
    port = served_port()
    exposed = {
        int(word.split("/")[0])
        for arguments in instructions(runtime, "EXPOSE")
        for word in arguments.split()
    }
    assert exposed == {port}
    probe = healthcheck_command(runtime)
    assert probe[0] == "python", "slim images have no curl: probe with Python"
    url = probe_url(probe)
    assert (url["host"], int(url["port"]), url["path"]) == ("127.0.0.1", port, HEALTH_PATH)


def test_image_is_slim_non_root_with_static_files_and_translations():
    stages = dockerfile_stages()
    assert len(stages) >= 2, "multi-stage: build tools stay out of the runtime image"
    for stage in stages:
        assert stage[0][1].split()[0] == "python:3.11-slim"
    users = instructions(stages[-1], "USER")
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    runs = " ".join(arguments for stage in stages for arguments in instructions(stage, "RUN"))
    for command in ("pip install .", "collectstatic", "compile_translations"):
        assert command in runs


# --- compose.yaml ------------------------------------------------------------------------------


def test_compose_web_replicas_use_the_image_port_and_health_path():
    services = compose_services()
    webs = web_services(services)
    replicas = sum(service.get("deploy", {}).get("replicas", 1) for service in webs.values())
    assert replicas >= 2, "production runs at least two web processes"
    port = served_port()
    for name, service in webs.items():
        assert set(service["environment"]) >= APP_SERVICE_ENV, name
        assert int(service["environment"].get("PORT", port)) == port, name
        url = probe_url(service["healthcheck"]["test"])
        assert (url["host"], int(url["port"]), url["path"]) == ("127.0.0.1", port, HEALTH_PATH)
        published = {str(entry).rsplit(":", 1)[-1] for entry in service.get("ports", [])}
        exposed = {str(entry) for entry in service.get("expose", [])}
        assert published | exposed == {str(port)}, name
        depends = service["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        for backing in ("postgres", "redis"):
            assert depends[backing]["condition"] == "service_healthy"


def test_compose_runs_migrations_worker_and_scheduler_without_the_web_health_check():
    services = compose_services()
    for backing in ("postgres", "redis"):
        assert "healthcheck" in services[backing]
    commands = {
        name: " ".join(service["command"])
        for name, service in services.items()
        if "build" in service and "command" in service
    }
    assert "migrate" in commands["migrate"]
    assert "db_worker" in commands["worker"]
    assert services["worker"]["environment"]["TASKS_BACKEND"] == "database"
    assert "publish_scheduled" in commands["scheduler"]
    for name in commands:
        # They inherit the image's HEALTHCHECK, which probes a port only the web server opens.
        assert services[name]["healthcheck"] == {"disable": True}, name


# --- the real thing ----------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_production_command_starts_and_answers_healthz(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        DJANGO_SETTINGS_MODULE="allas_site.settings.production",
        SECRET_KEY="test-containers-not-secret",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        STATIC_ROOT=str(tmp_path / "static"),
        PORT=str(port),
        LISTEN_HOST="127.0.0.1",
    )
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        # cwd is an empty folder, as /app holds no source in the image.
        process = subprocess.Popen(  # noqa: S603 - our own script
            [str(SERVE_SCRIPT)], cwd=tmp_path, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        body = None
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and process.poll() is None:
            try:
                url = f"http://127.0.0.1:{port}{HEALTH_PATH}"
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                    body = json.loads(response.read())
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        assert body is not None, f"no healthy answer in 15 s:\n{log.read_text()[-3000:]}"
        assert body["status"] == "ok"
        assert body["checks"]["database"]["ok"]
        # A WebSocket handshake from a foreign origin is refused with 403 by Channels'
        # origin validator (asgi.py), whatever the route: proof the command serves
        # WebSockets (without --ws support it would be plain HTTP and Django's 404).
        with pytest.raises(InvalidStatus) as refused:
            ws_connect(
                f"ws://127.0.0.1:{port}/ws/",
                origin="http://not-allowed.example",
                open_timeout=5,
            )
        assert refused.value.response.status_code == 403
        # Same origin, the browser's compression offered: the handshake completes (this
        # empty database then closes it with 4503) and compression is declined: per-socket
        # zlib state and a compression per socket per broadcast cost more than small
        # frames gain (WS_PER_MESSAGE_DEFLATE turns it on).
        with ws_connect(
            f"ws://127.0.0.1:{port}/ws/cafe/debates/1/",
            origin=f"http://127.0.0.1:{port}",
            compression="deflate",
            open_timeout=5,
        ) as accepted:
            assert accepted.response.status_code == 101
            assert "Sec-WebSocket-Extensions" not in accepted.response.headers
        process.terminate()
        # Graceful servers exit 0, or re-raise SIGTERM after shutting down (uvicorn does).
        assert process.wait(timeout=10) in {0, -signal.SIGTERM}, log.read_text()[-3000:]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
