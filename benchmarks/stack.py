"""The production setup of AL-LAs Campus, started from scratch for the load test.

Everything here is the load test's own: a PostgreSQL cluster initialised in a temporary
directory, a redis-server, and uvicorn processes started through
``scripts/serve-production.sh`` with the production settings. Each listens on 127.0.0.1
on a free port, so the machine's shared PostgreSQL (5432) and Redis (6379) are never
touched. ``Stack`` is a context manager: leaving it (normally, on an error or on Ctrl-C)
stops every process it started and removes the temporary directory.

PostgreSQL refuses to run as root: when the load test runs as root, initdb and postgres
run as the ``postgres`` OS user (``subprocess.Popen(user=...)``, so the process we hold
is the postmaster itself and a signal stops it directly).
"""

import contextlib
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from servers import HOST, PROJECT_DIR, free_port

PG_ROOT = Path("/usr/lib/postgresql")
DB_NAME = "allas"
SETTINGS = "allas_site.settings.production"


def pg_bin():
    """The newest installed PostgreSQL's bin/ directory (Debian layout)."""
    versions = sorted(
        (path for path in PG_ROOT.glob("*/bin") if (path / "initdb").exists()),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    if not versions:
        raise RuntimeError(f"no PostgreSQL server binaries under {PG_ROOT} (initdb not found)")
    return versions[-1]


def _signal_group(process, sig):
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def stop_process(process, sig=signal.SIGTERM, timeout=15.0, group=True):
    """Send ``sig`` to the process (or the process group) we started; SIGKILL (to the
    group) after ``timeout``."""
    if process is None or process.poll() is not None:
        return
    if group:
        _signal_group(process, sig)
    else:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(sig)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)
        process.wait(10)


class Stack:
    """PostgreSQL + Redis + N uvicorn processes, all on loopback, all ours."""

    def __init__(self, log_dir, web_processes=2, max_connections=100, keep_logs=True):
        self.log_dir = Path(log_dir)
        self.web_processes = web_processes
        self.max_connections = max_connections
        self.keep_logs = keep_logs
        self.tmp = None
        self.pg = self.redis = None
        self.web = []  # (port, Popen)
        self.worker = None
        self.restarts = []  # (what, exit code): processes the restart policy brought back
        self.retired_cpu = {}  # CPU seconds of processes that were stopped or replaced
        self._last_cpu = {}  # the last reading of each live process
        self.pg_port = self.redis_port = None
        self.pg_user = None
        self.secret_key = secrets.token_urlsafe(40)

    # --- lifecycle ---------------------------------------------------------------------

    def __enter__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="allas-loadtest-"))
        self.tmp.chmod(0o755)  # the postgres user must reach its data directory inside
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        for _port, process in self.web:
            stop_process(process, signal.SIGTERM, timeout=12)
        self.web = []
        stop_process(self.worker, signal.SIGTERM, timeout=10)
        self.worker = None
        stop_process(self.redis, signal.SIGTERM, timeout=10)
        self.redis = None
        # SIGINT is PostgreSQL's "fast" shutdown: clients are disconnected, no recovery.
        stop_process(self.pg, signal.SIGINT, timeout=20, group=False)
        self.pg = None
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    # --- PostgreSQL --------------------------------------------------------------------

    @property
    def pg_data(self):
        return self.tmp / "pgdata"

    def _as_pg_user(self):
        if os.geteuid() != 0:
            return {}
        return {"user": self.pg_user, "group": pwd.getpwnam(self.pg_user).pw_gid}

    def init_postgres(self):
        self.pg_user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        self.pg_data.mkdir(mode=0o700)
        (self.tmp / "pgsock").mkdir(mode=0o755)
        if os.geteuid() == 0:
            entry = pwd.getpwnam(self.pg_user)
            for path in (self.pg_data, self.tmp / "pgsock"):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        subprocess.run(
            [str(pg_bin() / "initdb"), "-D", str(self.pg_data), "-U", "postgres",
             "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            cwd=self.tmp, check=True, capture_output=True, text=True, **self._as_pg_user(),
        )
        self.pg_port = free_port()

    def start_postgres(self, timeout=30.0):
        log = (self.log_dir / "postgres.log").open("ab")
        self.pg = subprocess.Popen(
            [str(pg_bin() / "postgres"), "-D", str(self.pg_data), "-p", str(self.pg_port),
             "-k", str(self.tmp / "pgsock"), "-c", f"listen_addresses={HOST}",
             "-c", f"max_connections={self.max_connections}"],
            cwd=self.tmp, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            **self._as_pg_user(),
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.pg.poll() is not None:
                raise RuntimeError(f"postgres exited; see {self.log_dir / 'postgres.log'}")
            ready = subprocess.run(
                [str(pg_bin() / "pg_isready"), "-h", HOST, "-p", str(self.pg_port), "-q"],
                check=False,
            )
            if ready.returncode == 0:
                return
            time.sleep(0.2)
        raise TimeoutError("postgres did not accept connections")

    def stop_postgres(self):
        """Fast shutdown: open connections are terminated, like a database going away."""
        self._retire("postgres", self.pg)
        stop_process(self.pg, signal.SIGINT, timeout=30, group=False)
        self.pg = None

    def create_database(self):
        self.psql(f"CREATE DATABASE {DB_NAME}")

    def psql(self, sql, database="postgres"):
        """Run one SQL statement as the postgres superuser; return its output (unaligned)."""
        result = subprocess.run(
            [str(pg_bin() / "psql"), "-h", HOST, "-p", str(self.pg_port), "-U", "postgres",
             "-d", database, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
            check=True, capture_output=True, text=True, timeout=30,
        )
        return result.stdout.strip()

    @property
    def database_url(self):
        return f"postgresql://postgres@{HOST}:{self.pg_port}/{DB_NAME}"

    # --- Redis -------------------------------------------------------------------------

    def start_redis(self, timeout=15.0):
        if self.redis_port is None:
            self.redis_port = free_port()
        (self.tmp / "redis").mkdir(exist_ok=True)
        log = (self.log_dir / "redis.log").open("ab")
        # As compose.yaml runs it: cache and channel layer only, nothing persisted, so a
        # restart starts empty (groups, presence, page cache and rate limits are gone).
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", HOST,
             "--save", "", "--appendonly", "no", "--dir", str(self.tmp / "redis")],
            cwd=self.tmp, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.redis.poll() is not None:
                raise RuntimeError(f"redis-server exited; see {self.log_dir / 'redis.log'}")
            ping = subprocess.run(
                ["redis-cli", "-h", HOST, "-p", str(self.redis_port), "ping"],
                check=False, capture_output=True, text=True,
            )
            if ping.stdout.strip() == "PONG":
                return
            time.sleep(0.1)
        raise TimeoutError("redis-server did not answer")

    def stop_redis(self):
        self._retire("redis", self.redis)
        stop_process(self.redis, signal.SIGTERM, timeout=10)
        self.redis = None

    @property
    def redis_url(self):
        return f"redis://{HOST}:{self.redis_port}/0"

    # --- the application ---------------------------------------------------------------

    def env(self, tasks="database"):
        """The production environment. ``tasks``: TASKS_BACKEND ("database" as compose.yaml
        runs the web processes and the worker; "" for setup commands, whose tasks then run
        at once instead of leaving a backlog that the worker would chew on during the run)."""
        env = {
            key: value for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "SQLITE_"))
        }
        env.update({
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "STATIC_ROOT": str(self.tmp / "static"),
            "MEDIA_ROOT": str(self.tmp / "media"),
            "BASE_URL": f"https://{HOST}",
            # As compose.yaml: web processes enqueue, the db_worker sends (console e-mail).
            "TASKS_BACKEND": tasks,
            "PYTHONUNBUFFERED": "1",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        })
        return env

    def manage(self, *args, timeout=600):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=self.env(tasks=""),
            capture_output=True, text=True, timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout[-1500:]}\n"
                f"{result.stderr[-3000:]}"
            )
        return result.stdout

    def django_json(self, script_path, *args, timeout=300):
        """Run a Django script file with the stack's environment; return its JSON line."""
        env = {**self.env(tasks=""), "PYTHONPATH": str(PROJECT_DIR)}
        result = subprocess.run(
            [sys.executable, str(script_path), *args], cwd=PROJECT_DIR, env=env,
            capture_output=True, text=True, timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{script_path} failed:\n{result.stderr[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def _web_process(self, index, port):
        script = PROJECT_DIR / "scripts" / "serve-production.sh"
        log = (self.log_dir / f"web-{index + 1}.log").open("ab")
        process = subprocess.Popen(
            ["sh", str(script)], cwd=PROJECT_DIR,
            env={**self.env(), "PORT": str(port), "LISTEN_HOST": HOST, "WEB_CONCURRENCY": "1"},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        return process

    def start_web(self, timeout=90.0):
        """One ``scripts/serve-production.sh`` (one uvicorn worker) per port."""
        for index in range(self.web_processes):
            port = free_port()
            self.web.append((port, self._web_process(index, port)))
        for port, process in self.web:
            wait_healthy(port, process, timeout)
        return [port for port, _process in self.web]

    def start_worker(self):
        """The task worker (``manage.py db_worker``), as compose.yaml's ``worker``."""
        log = (self.log_dir / "worker.log").open("ab")
        self.worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker"], cwd=PROJECT_DIR, env=self.env(),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()

    def supervise(self):
        """compose.yaml's ``restart: unless-stopped`` for the web processes and the worker:
        one that exited is started again (and counted in ``restarts``). Call it every
        second or so; it also takes the CPU readings that outlive a process."""
        self.cpu_seconds()
        for index, (port, process) in enumerate(self.web):
            if process.poll() is not None:
                self.restarts.append((f"web :{port}", process.returncode))
                self._retire(f"web :{port}", process)
                self.web[index] = (port, self._web_process(index, port))
        if self.worker is not None and self.worker.poll() is not None:
            self.restarts.append(("worker", self.worker.returncode))
            self._retire("worker", self.worker)
            self.start_worker()

    def _retire(self, name, process):
        """Keep the CPU time of a process about to go (or gone: its last reading)."""
        if process is None:
            return
        seconds = cpu_s(process.pid) if process.poll() is None else self._last_cpu.get(name, 0)
        self.retired_cpu[name] = self.retired_cpu.get(name, 0.0) + seconds
        self._last_cpu.pop(name, None)

    def cpu_seconds(self):
        """CPU time used so far by each web process, the worker, PostgreSQL and Redis
        (processes that were stopped or replaced included, as far as seen)."""
        processes = {f"web :{port}": process for port, process in self.web}
        processes.update({"worker": self.worker, "postgres": self.pg, "redis": self.redis})
        totals = dict(self.retired_cpu)
        for name, process in processes.items():
            if process is not None and process.poll() is None:
                seconds = cpu_s(process.pid)
                self._last_cpu[name] = seconds
                totals[name] = round(totals.get(name, 0.0) + seconds, 1)
        return totals

    def web_rss_mb(self):
        """Resident memory of each uvicorn process (and its children), from /proc."""
        return {port: round(rss_kb(process.pid) / 1024, 1) for port, process in self.web}

    def web_alive(self):
        return {port: process.poll() is None for port, process in self.web}


def cpu_s(pid):
    """utime + stime of ``pid`` and its children, in seconds, from /proc (0 if gone)."""
    total = 0.0
    pending = [pid]
    ticks = os.sysconf("SC_CLK_TCK")
    while pending:
        current = pending.pop()
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            # utime, stime, and those of the children already waited for (PostgreSQL's
            # backends that have exited)
            total += sum(int(value) for value in fields[11:15]) / ticks
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            pending.extend(int(child) for child in children)
    return round(total, 1)


def rss_kb(pid):
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            pending.extend(int(child) for child in children)
    return total


def wait_healthy(port, process, timeout):
    url = f"http://{HOST}:{port}/healthz"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"web process on port {port} exited ({process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{url} not healthy after {timeout} s")
