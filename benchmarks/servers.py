"""The ASGI servers under comparison, started as subprocesses on a free loopback port."""

import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
BIN_DIR = Path(sys.executable).parent
APP = "bench_asgi:application"
BARE_PATH = "/bench/bare"  # served by bench_asgi; kept here so the runner need not load Django
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Server:
    name: str
    argv: str  # {app}, {host} and {port} are filled in; the first word is in the venv's bin/

    def command(self, port, app=APP):
        executable, *args = shlex.split(self.argv.format(app=app, host=HOST, port=port))
        return [str(BIN_DIR / executable), *args]


# One worker process each, access logs off, lifespan off (Django has none): the
# comparison is per process, with what each server needs to run this project.
SERVERS = [
    Server(
        "uvicorn",
        # WebSocket compression off, as scripts/serve-production.sh runs it.
        "uvicorn {app} --host {host} --port {port} --lifespan off --ws websockets-sansio"
        " --ws-per-message-deflate false --no-access-log --log-level warning",
    ),
    Server("daphne", "daphne -b {host} -p {port} -v 0 {app}"),
    Server(
        "granian",
        "granian --interface asginl --host {host} --port {port} --workers 1"
        " --no-access-log --log-level warning {app}",
    ),
]


# port -> the server process started by ``running`` on it (for CPU accounting).
PROCESSES = {}


def cpu_seconds(port):
    """User + system CPU seconds used so far by the server on ``port`` (and the workers
    it forked), from /proc; None where that is not available."""
    process = PROCESSES.get(port)
    if process is None:
        return None
    try:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime, stime, cutime, cstime: fields 14-17 of proc(5), here counted after the name.
    ticks = sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until_healthy(port, timeout, process=None):
    url = f"http://{HOST}:{port}/healthz"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not healthy after {timeout} s")


def stop(process, timeout=10):
    """Terminate a server we started; its own process group catches worker children."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout)


@contextlib.contextmanager
def running(server, env, log_dir=None, startup_timeout=60, log_name=None):
    """Start ``server`` on a free port; yield the port; always stop it.

    Its output goes to ``log_dir/<log_name or name>.log`` when given (to explain errors
    afterwards).
    """
    port = free_port()
    paths = [str(BENCH_DIR), str(PROJECT_DIR), env.get("PYTHONPATH", "")]
    env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, paths))}
    with contextlib.ExitStack() as stack:
        if log_dir is None:
            log = stack.enter_context(tempfile.TemporaryFile())
        else:
            name = log_name or server.name
            log = stack.enter_context((Path(log_dir) / f"{name}.log").open("w+b"))
        process = subprocess.Popen(
            server.command(port),
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        PROCESSES[port] = process
        try:
            try:
                wait_until_healthy(port, startup_timeout, process)
            except (RuntimeError, TimeoutError) as exc:
                log.seek(0)
                tail = log.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"{server.name} did not start: {exc}\n{tail}") from exc
            yield port
        finally:
            PROCESSES.pop(port, None)
            stop(process)
