"""Requests per second of the Wagtail home page against a bare Django view, per server."""

from loadgen import run_load
from servers import BARE_PATH, running

from .base import Column, Measurement

HOME_PATH = "/"
WARM_UP_REQUESTS = 40


def _load(ctx, port, path):
    return run_load(
        port,
        path,
        requests=ctx.requests,
        concurrency=ctx.concurrency,
        max_seconds=ctx.max_seconds,
    )


def _warm_up(port, path):
    # First requests fill template, URL and Wagtail site caches; they are not measured.
    result = run_load(port, path, requests=WARM_UP_REQUESTS, concurrency=4, max_seconds=60)
    if result.ok == 0:
        raise RuntimeError(f"{path} never answered 200 during warm-up")


def http_throughput(ctx):
    rows = []
    for server in ctx.servers:
        with running(server, ctx.env) as port:
            _warm_up(port, HOME_PATH)
            _warm_up(port, BARE_PATH)
            home = _load(ctx, port, HOME_PATH)
            bare = _load(ctx, port, BARE_PATH)
        rows.append(
            {
                "server": server.name,
                "home_rps": home.req_per_s,
                "bare_rps": bare.req_per_s,
                "home_bare_ratio": round(home.req_per_s / bare.req_per_s, 3)
                if bare.req_per_s
                else 0.0,
                "home_p95_ms": home.p95_ms,
                "errors": home.errors + bare.errors,
                "home": home.as_dict(),
                "bare": bare.as_dict(),
            }
        )

    summary = []
    if rows:
        best = max(rows, key=lambda row: row["home_rps"])
        summary.append(
            f"Fastest on the real page: {best['server']} ({best['home_rps']:.0f} home req/s)."
        )
        for row in rows:
            if row is not best:
                share = row["home_rps"] / best["home_rps"] if best["home_rps"] else 0
                summary.append(f"  {row['server']}: {share:.2f} x its home req/s.")
        summary.append(
            f"Recommendation for production: {best['server']} "
            "(one run: differences under ~10% are noise; rerun before changing servers)."
        )
        if any(row["errors"] or row["home"]["timed_out"] for row in rows):
            summary.append("WARNING: some requests failed or a case hit its time limit.")

    return Measurement(
        name="http_throughput",
        title="Home page (Wagtail) vs bare Django view, requests per second",
        columns=[
            Column("server", "server"),
            Column("home_rps", "home req/s", "{:.0f}"),
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
            "max_seconds": ctx.max_seconds,
            "paths": {"home": HOME_PATH, "bare": BARE_PATH},
            "workers_per_server": 1,
        },
    )
