"""Run the benchmarks: print a table per measurement and write benchmarks/results/<name>.json.

    DJANGO_SETTINGS_MODULE=allas_site.settings.dev .venv/bin/python benchmarks/run.py
    .venv/bin/python benchmarks/run.py --servers uvicorn --requests 500

See benchmarks/README.md for what the figures mean.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from consultation_burst import consultations
from measurements import MEASUREMENTS, BenchContext
from servers import PROJECT_DIR, SERVERS

MEASUREMENTS = [*MEASUREMENTS, consultations]  # the burst lives beside its standalone script

RESULTS_DIR = Path(__file__).resolve().parent / "results"
LOAD_DEFAULTS = {"requests": 2000, "concurrency": 16, "rounds": 4}


def bench_env():
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "allas_site.settings.dev")
    # Dev settings without debug: no debug bookkeeping skewing the figures.
    env["DEBUG"] = "0"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def prepare_database(env):
    """Migrate and load the demo content (both idempotent) so `/` is the demo home page."""
    for command in (["migrate", "--no-input"], ["load_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=PROJECT_DIR,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def parse_args(argv):
    names = [server.name for server in SERVERS]
    measurement_names = [measure.__name__ for measure in MEASUREMENTS]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", default=",".join(names), help=f"comma list of {names}")
    parser.add_argument("--only", default="", help=f"comma list of {measurement_names}")
    # Defaults filled in below, so a measurement can tell what was given (ctx.given)
    # and keep shorter defaults of its own (page_ratios).
    parser.add_argument("--requests", type=int, help="requests per case (default 2000)")
    parser.add_argument("--concurrency", type=int, help="open connections (default 16)")
    parser.add_argument("--rounds", type=int, help="rounds alternating servers (default 4)")
    parser.add_argument(
        "--max-seconds", type=float, default=120.0, help="time limit per server and path"
    )
    parser.add_argument("--skip-setup", action="store_true", help="do not migrate/load_demo")
    args = parser.parse_args(argv)
    args.given = frozenset(
        name for name in LOAD_DEFAULTS if getattr(args, name) is not None
    )
    for name, default in LOAD_DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, default)
    args.servers = [s for s in SERVERS if s.name in args.servers.split(",")]
    wanted = set(filter(None, args.only.split(",")))
    args.measurements = [m for m in MEASUREMENTS if not wanted or m.__name__ in wanted]
    if not args.servers or not args.measurements:
        parser.error("nothing to run")
    return args


def main(argv=None):
    args = parse_args(argv)
    env = bench_env()
    if not args.skip_setup:
        prepare_database(env)
    RESULTS_DIR.mkdir(exist_ok=True)
    ctx = BenchContext(
        env=env,
        servers=args.servers,
        requests=args.requests,
        concurrency=args.concurrency,
        rounds=args.rounds,
        max_seconds=args.max_seconds,
        log_dir=str(RESULTS_DIR),
        given=args.given,
    )
    machine = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "settings": env["DJANGO_SETTINGS_MODULE"],
        "database": "postgresql" if env.get("DATABASE_URL") else "sqlite",
    }
    for measure in args.measurements:
        started = time.perf_counter()
        result = measure(ctx)
        print(f"\n{result.title}\n")
        print(result.table())
        print()
        for line in result.summary:
            print(line)
        data = {
            **result.as_dict(),
            "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "duration_s": round(time.perf_counter() - started, 1),
            "machine": machine,
        }
        path = RESULTS_DIR / f"{result.name}.json"
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        print(f"\n-> {path.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
