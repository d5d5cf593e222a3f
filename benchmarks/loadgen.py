"""A small HTTP/1.1 keep-alive load generator for loopback benchmarks.

Pure asyncio on raw sockets: a Python HTTP client library would cost more CPU per
request than the servers under test, and client and server share the same cores.
It refuses any host but 127.0.0.1 so a benchmark can never load someone else's server.
"""

import asyncio
import statistics
import time
from dataclasses import asdict, dataclass

LOOPBACK = "127.0.0.1"


@dataclass
class LoadResult:
    path: str
    requests: int
    ok: int
    errors: int
    seconds: float
    req_per_s: float
    p50_ms: float
    p95_ms: float
    timed_out: bool

    def as_dict(self):
        return asdict(self)


async def _read_response(reader):
    """Return (status, keep_alive). Reads and discards the body."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)  # chunk + CRLF
            if size == 0:
                break
    else:
        await reader.read()  # body ends when the server closes
        return status, False
    return status, headers.get("connection", "").lower() != "close"


async def _connection(port, request, count, deadline, latencies, counters):
    reader = writer = None
    try:
        for _ in range(count):
            if time.perf_counter() > deadline:
                counters["timed_out"] = True
                return
            if writer is None:
                reader, writer = await asyncio.open_connection(LOOPBACK, port)
            started = time.perf_counter()
            try:
                writer.write(request)
                status, keep_alive = await _read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                counters["errors"] += 1
                writer.close()
                reader = writer = None
                continue
            latencies.append(time.perf_counter() - started)
            counters["ok" if status == 200 else "errors"] += 1
            if not keep_alive:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


async def _run(port, path, requests, concurrency, max_seconds, headers):
    extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    request = f"GET {path} HTTP/1.1\r\nHost: {LOOPBACK}:{port}\r\n{extra}\r\n".encode("latin-1")
    latencies, counters = [], {"ok": 0, "errors": 0, "timed_out": False}
    shares = [requests // concurrency + (i < requests % concurrency) for i in range(concurrency)]
    started = time.perf_counter()
    deadline = started + max_seconds
    await asyncio.gather(
        *(_connection(port, request, n, deadline, latencies, counters) for n in shares if n)
    )
    seconds = time.perf_counter() - started
    done = counters["ok"] + counters["errors"]
    quantiles = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else [0.0] * 19
    return LoadResult(
        path=path,
        requests=done,
        ok=counters["ok"],
        errors=counters["errors"],
        seconds=round(seconds, 3),
        req_per_s=round(counters["ok"] / seconds, 1) if seconds else 0.0,
        p50_ms=round(quantiles[9] * 1000, 2),
        p95_ms=round(quantiles[18] * 1000, 2),
        timed_out=counters["timed_out"],
    )


def run_load(port, path, *, requests=2000, concurrency=16, max_seconds=120.0, headers=None):
    """Send ``requests`` GETs to 127.0.0.1:port over ``concurrency`` keep-alive connections.

    Only 200 responses count towards req/s; anything else is an error. Stops at
    ``max_seconds`` (then ``timed_out`` is true and req/s covers what was done).
    """
    headers = {"Accept": "text/html", "Accept-Language": "es", **(headers or {})}
    return asyncio.run(_run(port, path, requests, concurrency, max_seconds, headers))
