"""A small HTTP/1.1 keep-alive load generator for loopback benchmarks.

Pure asyncio on raw sockets: a Python HTTP client library would cost more CPU per
request than the servers under test, and client and server share the same cores.
It refuses any host but 127.0.0.1 so a benchmark can never load someone else's server.
"""

import asyncio
import statistics
import time
from dataclasses import dataclass, field

LOOPBACK = "127.0.0.1"


@dataclass
class LoadResult:
    path: str
    ok: int
    errors: int
    seconds: float
    timed_out: bool
    outcomes: dict  # HTTP status or exception name -> count, to tell failures apart
    latencies: list = field(default_factory=list, repr=False)  # seconds, one per answer
    # Values of the response header named by run_load(count_header=...) -> count
    # ("-" when absent); empty unless asked for.
    header_counts: dict = field(default_factory=dict)

    @property
    def requests(self):
        return self.ok + self.errors

    @property
    def req_per_s(self):
        """200 responses per second of wall time."""
        return round(self.ok / self.seconds, 1) if self.seconds else 0.0

    def percentile_ms(self, percent):
        if len(self.latencies) < 2:
            return 0.0
        return round(statistics.quantiles(self.latencies, n=100)[percent - 1] * 1000, 2)

    def as_dict(self):
        extra = {"header_counts": dict(sorted(self.header_counts.items()))}
        return {
            "path": self.path,
            "requests": self.requests,
            "ok": self.ok,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "req_per_s": self.req_per_s,
            "p50_ms": self.percentile_ms(50),
            "p95_ms": self.percentile_ms(95),
            "timed_out": self.timed_out,
            "outcomes": dict(sorted(self.outcomes.items())),
            **(extra if self.header_counts else {}),
        }


def combine(results):
    """One result from several runs against the same path (e.g. rounds)."""
    outcomes, header_counts = {}, {}
    for result in results:
        for key, count in result.outcomes.items():
            outcomes[key] = outcomes.get(key, 0) + count
        for key, count in result.header_counts.items():
            header_counts[key] = header_counts.get(key, 0) + count
    return LoadResult(
        path=results[0].path,
        ok=sum(result.ok for result in results),
        errors=sum(result.errors for result in results),
        seconds=sum(result.seconds for result in results),
        timed_out=any(result.timed_out for result in results),
        outcomes=outcomes,
        latencies=[latency for result in results for latency in result.latencies],
        header_counts=header_counts,
    )


async def _read_response(reader, header=None):
    """Return (status, keep_alive, value of ``header`` or None). Reads and discards the
    body."""
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
        return status, False, headers.get(header)
    return status, headers.get("connection", "").lower() != "close", headers.get(header)


async def _connection(port, request, count, deadline, latencies, counters, outcomes,
                      header=None, header_counts=None):
    reader = writer = None
    try:
        for _ in range(count):
            if time.perf_counter() > deadline:
                counters["timed_out"] = True
                return
            started = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(LOOPBACK, port)
                writer.write(request)
                status, keep_alive, value = await _read_response(reader, header)
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
                counters["errors"] += 1
                outcomes[type(exc).__name__] = outcomes.get(type(exc).__name__, 0) + 1
                if writer is not None:
                    writer.close()
                reader = writer = None
                continue
            latencies.append(time.perf_counter() - started)
            counters["ok" if status == 200 else "errors"] += 1
            outcomes[str(status)] = outcomes.get(str(status), 0) + 1
            if header is not None:
                value = "-" if value is None else value
                header_counts[value] = header_counts.get(value, 0) + 1
            if not keep_alive:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


async def _run(port, path, requests, concurrency, max_seconds, headers, count_header=None):
    extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    request = f"GET {path} HTTP/1.1\r\nHost: {LOOPBACK}:{port}\r\n{extra}\r\n".encode("latin-1")
    latencies, outcomes, header_counts = [], {}, {}
    header = count_header.lower() if count_header else None
    counters = {"ok": 0, "errors": 0, "timed_out": False}
    shares = [requests // concurrency + (i < requests % concurrency) for i in range(concurrency)]
    started = time.perf_counter()
    deadline = started + max_seconds
    await asyncio.gather(
        *(
            _connection(port, request, n, deadline, latencies, counters, outcomes,
                        header, header_counts)
            for n in shares
            if n
        )
    )
    return LoadResult(
        path=path,
        ok=counters["ok"],
        errors=counters["errors"],
        seconds=time.perf_counter() - started,
        timed_out=counters["timed_out"],
        outcomes=outcomes,
        latencies=latencies,
        header_counts=header_counts,
    )


def run_load(port, path, *, requests=2000, concurrency=16, max_seconds=120.0, headers=None,
             count_header=None):
    """Send ``requests`` GETs to 127.0.0.1:port over ``concurrency`` keep-alive connections.

    Only 200 responses count towards req/s; anything else is an error. Stops at
    ``max_seconds`` (then ``timed_out`` is true and req/s covers what was done).
    ``headers`` are sent with every request (e.g. a ``Cookie``); ``count_header`` names a
    response header whose values are counted in ``header_counts`` (e.g. X-Page-Cache).
    """
    headers = {"Accept": "text/html", "Accept-Language": "es", **(headers or {})}
    return asyncio.run(
        _run(port, path, requests, concurrency, max_seconds, headers, count_header)
    )
