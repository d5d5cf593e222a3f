"""Requests per second of the Wagtail home page against a bare Django view, per server."""

import contextlib
import math
import re
import statistics
import tomllib

from loadgen import combine, run_load
from servers import BARE_PATH, PROJECT_DIR, running

from .base import Column, Measurement

HOME_PATH = "/"
PATHS = (HOME_PATH, BARE_PATH)
WARM_UP_REQUESTS = 40
# Below this relative difference two servers are tied: one run cannot tell them apart.
NOISE = 0.10


def _warm_up(port, path):
    # First requests fill template, URL and Wagtail site caches; they are not measured.
    result = run_load(port, path, requests=WARM_UP_REQUESTS, concurrency=4, max_seconds=60)
    if result.ok == 0:
        raise RuntimeError(f"{path} never answered 200 during warm-up: {result.outcomes}")


def _measure(ctx):
    """{(server name, path): [LoadResult per round]}.

    Every server runs at once (idle ones cost nothing) and the load visits them in rounds,
    in a rotating order, so a slow drift in the machine's background load spreads over
    all servers instead of falling on whichever happened to run last.
    """
    rounds = max(1, ctx.rounds)
    per_round = math.ceil(ctx.requests / rounds)
    parts = {(server.name, path): [] for server in ctx.servers for path in PATHS}
    with contextlib.ExitStack() as stack:
        ports = {
            server.name: stack.enter_context(running(server, ctx.env, ctx.log_dir))
            for server in ctx.servers
        }
        for port in ports.values():
            for path in PATHS:
                _warm_up(port, path)
        names = list(ports)
        for number in range(rounds):
            for name in names[number % len(names) :] + names[: number % len(names)]:
                for path in PATHS:
                    result = run_load(
                        ports[name],
                        path,
                        requests=per_round,
                        concurrency=ctx.concurrency,
                        max_seconds=ctx.max_seconds / rounds,
                    )
                    parts[name, path].append(result)
    return parts


def _runtime_dependencies():
    """Distribution names in pyproject's [project].dependencies (not the bench group)."""
    data = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())
    names = set()
    for requirement in data["project"]["dependencies"]:
        names.add(re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower())
    return names


def _tied(best, row):
    """Whether ``row`` cannot be told apart from ``best`` on the home page in this run.

    Tied when within NOISE, or within two standard errors of the difference of the
    per-round figures (a busy machine makes rounds vary more than NOISE).
    """
    if row["home_rps"] >= best["home_rps"] * (1 - NOISE):
        return True
    rounds = [best["home_rounds_rps"], row["home_rounds_rps"]]
    if min(len(values) for values in rounds) < 2:
        return False
    error = math.sqrt(sum(statistics.variance(values) / len(values) for values in rounds))
    return best["home_rps"] - row["home_rps"] <= 2 * error


def _recommendation(rows):
    best = max(rows, key=lambda row: row["home_rps"])
    tied = [row for row in rows if _tied(best, row)]
    # Among servers the run cannot separate: one the project already depends on at run
    # time (nothing new to ship), then the least per-request overhead (bare req/s).
    runtime = _runtime_dependencies()
    chosen = max(tied, key=lambda row: (row["server"] in runtime, row["bare_rps"]))
    lines = [f"Fastest on the real page: {best['server']} ({best['home_rps']:.0f} home req/s)."]
    for row in rows:
        if row is not best:
            share = row["home_rps"] / best["home_rps"] if best["home_rps"] else 0
            lines.append(f"  {row['server']}: {share:.2f} x its home req/s.")
    if len(tied) > 1:
        names = ", ".join(row["server"] for row in tied)
        lines.append(
            f"Not separable on the home page in this run (within {NOISE:.0%} or two standard"
            f" errors of the per-round figures): {names}. Tie broken by: already a runtime"
            " dependency of the project, then highest bare req/s."
        )
    lines.append(f"Recommendation for production: {chosen['server']}.")
    return chosen["server"], lines


def http_throughput(ctx):
    parts = _measure(ctx)
    rows = []
    for server in ctx.servers:
        home, bare = combine(parts[server.name, HOME_PATH]), combine(parts[server.name, BARE_PATH])
        home_rounds = [result.req_per_s for result in parts[server.name, HOME_PATH]]
        rows.append(
            {
                "server": server.name,
                "home_rps": home.req_per_s,
                "bare_rps": bare.req_per_s,
                "home_bare_ratio": round(home.req_per_s / bare.req_per_s, 3)
                if bare.req_per_s
                else 0.0,
                "home_sd": round(statistics.stdev(home_rounds), 1) if len(home_rounds) > 1 else 0.0,
                "home_p95_ms": home.percentile_ms(95),
                "errors": home.errors + bare.errors,
                "home": home.as_dict(),
                "bare": bare.as_dict(),
                "home_rounds_rps": home_rounds,
                "bare_rounds_rps": [result.req_per_s for result in parts[server.name, BARE_PATH]],
            }
        )

    recommended, summary = _recommendation(rows)
    if any(row["errors"] or row["home"]["timed_out"] or row["bare"]["timed_out"] for row in rows):
        summary.append(
            "WARNING: some requests failed or a case hit its time limit: see `outcomes`"
            " in the JSON and the server logs in benchmarks/results/."
        )

    return Measurement(
        name="http_throughput",
        title="Home page (Wagtail) vs bare Django view, requests per second",
        columns=[
            Column("server", "server"),
            Column("home_rps", "home req/s", "{:.0f}"),
            Column("home_sd", "± sd (rounds)", "{:.1f}"),
            Column("bare_rps", "bare req/s", "{:.0f}"),
            Column("home_bare_ratio", "home/bare ratio", "{:.3f}"),
            Column("home_p95_ms", "home p95 ms", "{:.1f}"),
            Column("errors", "errors"),
        ],
        rows=rows,
        summary=summary,
        parameters={
            "requests": ctx.requests,
            "concurrency": ctx.concurrency,
            "rounds": ctx.rounds,
            "max_seconds": ctx.max_seconds,
            "paths": {"home": HOME_PATH, "bare": BARE_PATH},
            "workers_per_server": 1,
            "recommended": recommended,
        },
    )
