"""Helpers the page measurements share: Django code run in a subprocess (so the
benchmark process itself never imports the project), and a warmed-up page load."""

import subprocess
import sys

from loadgen import run_load
from servers import PROJECT_DIR

WARM_UP_REQUESTS = 30

# Pasted into a measurement's script after django.setup(): queries of one request,
# the first one (which fills per-process caches) left out.
QUERY_COUNTER = r"""
from django.db import connection as _connection
from django.test.utils import CaptureQueriesContext as _CaptureQueries

def queries(client, url):
    client.get(url)
    with _CaptureQueries(_connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)
"""


def run_django(env, script, marker, label):
    """Run ``script`` with the project's Python and return what it printed after
    ``marker`` on its marked line."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], cwd=PROJECT_DIR, env=env,
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{label} bench script failed:\n{result.stderr[-3000:]}")
    line = next(line for line in result.stdout.splitlines() if line.startswith(marker))
    return line[len(marker):]


def warm_load(ctx, port, path, headers=None):
    run_load(port, path, requests=WARM_UP_REQUESTS, concurrency=4, max_seconds=60,
             headers=headers)
    return run_load(port, path, requests=max(ctx.requests // 4, 100),
                    concurrency=ctx.concurrency, max_seconds=ctx.max_seconds, headers=headers)
