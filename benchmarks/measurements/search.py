"""Search (#12): latency of the results page and of the header's suggestions on
PostgreSQL and SQLite, with the demo content grown to 10,000 Café posts, 1,000 pages
and 200 PDF editions (``benchmarks/search_latency.py``, which builds a database of its
own per backend, from scratch: about half an hour on a loaded 2-core machine).

``BENCH_SEARCH_ARGS`` passes options to it, e.g. ``"--backend sqlite --posts 2000"``.
The issue's targets (PostgreSQL): results p95 ≤ 50 ms, suggestions p95 ≤ 20 ms.
"""

import os
import shlex
import subprocess

import search_latency as script

from .base import Column, Measurement

TARGETS_MS = {"search_p95_ms": 50, "autocomplete_p95_ms": 20}


def search_latency(ctx):
    args = script.parse_args(shlex.split(os.environ.get("BENCH_SEARCH_ARGS", "")))
    rows, summary = [], []
    for backend in script.backends_of(args):
        try:
            result = script.run_backend(backend, args)
        except (subprocess.CalledProcessError, FileNotFoundError) as error:
            summary.append(f"{backend}: not measured ({error})")
            continue
        queries = result["queries_per_search"]
        rows.append({
            "backend": backend,
            **{key: result[key] for key in (
                "documents", "search_p50_ms", "search_p95_ms",
                "autocomplete_p50_ms", "autocomplete_p95_ms")},
            "queries": f"{result['queries_per_search_at_10_percent'] or '-'} → "
                       f"{queries['ciudades']} (none found: {queries['qwertyuiop']})",
            "rebuild_seconds": result["rebuild_seconds"],
            "load": " → ".join(map(str, result.get("load_average", []))),
            "raw": result,
        })
    for row in rows:
        if row["backend"] == "postgresql":
            for key, target in TARGETS_MS.items():
                summary.append(f"postgresql {key}: {row[key]} ms, target ≤ {target} ms "
                               f"({row[key] / target:.1f}× the target)")
    return Measurement(
        name="search_latency",
        title="Search: results page and suggestions, ms (50 queries; warm, one process)",
        columns=[
            Column("backend", "database"),
            Column("documents", "documents"),
            Column("search_p50_ms", "results p50"),
            Column("search_p95_ms", "results p95"),
            Column("autocomplete_p50_ms", "suggestions p50"),
            Column("autocomplete_p95_ms", "suggestions p95"),
            Column("queries", "queries per search (10% → 100% of the data)"),
            Column("rebuild_seconds", "index rebuild, s"),
            Column("load", "load average (1 min, before → after)"),
        ],
        rows=rows,
        summary=summary,
        parameters={key: value for key, value in vars(args).items() if key != "child"},
    )
