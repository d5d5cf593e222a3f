"""Café con AL-LAs: WebSocket fan-out to authenticated members with presence, and the
cost of the bleach policy.

Fan-out: N members (real accounts with database sessions, created in bulk by
``benchmarks/members.py``) open the socket of one debate, each behaving like
``site/static/js/cafe.js`` (``benchmarks/cafe_members.py``): resume on every open, a
``ping`` heartbeat every 30 s, presence announced on join and leave. Each case gets a
debate of its own, so presence left over from the previous case cannot leak into it.

* joins s: from the first connection attempt until every member got its ``hello``;
* settle s: from the last ``hello`` until every member's last ``presence`` event shows
  the final count (N), or "-" when that did not happen within SETTLE_TIMEOUT_S; the
  median member's time is shown before it (when the last announcement reached most);
* then a moderator (not rate limited) posts POSTS_PER_CASE replies over HTTP. Each
  member records when every post arrives (latency from the moment its POST was sent)
  and which ids it got. In the "reconnecting" cases 20 % of the members lose their
  connection once at a random moment of the posting window (the TCP connection is
  aborted, as when a network drops), reconnect with the browser's backoff and resume
  from the last id they had: every post must still arrive exactly once.

Embedded default (no REDIS_URL): one uvicorn process, the in-memory channel layer and
the configured database (SQLite unless DATABASE_URL is set). With REDIS_URL: two
processes sharing the Redis channel layer (and cache, where presence lives); members
alternate between them and posts go through the first.
"""

import asyncio
import json
import os
import random
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack

from cafe_members import Member, delivery_report, presence_spread, settle_state
from servers import BENCH_DIR, HOST, PROJECT_DIR, SERVERS, cpu_seconds, running

from .base import Column, Measurement

# CAFE_SOCKETS=500 (a comma list) runs only those sizes.
SOCKET_COUNTS = tuple(
    int(n) for n in os.environ.get("CAFE_SOCKETS", "50,200,500").split(",") if n.strip()
)
POSTS_PER_CASE = 10
WARMUP_POSTS = 3  # replies to a debate nobody reads, before the first case
POST_INTERVAL_S = 0.15
RECONNECT_SHARE = 0.2
JOIN_BATCH = 50  # connections opened at once, then a short pause
GRACE_S = 3.0
RECONNECT_GRACE_S = 6.0  # the browser's first retries wait up to 0.5 s, then up to 1 s, 2 s
JOIN_TIMEOUT_S = 60.0
SETTLE_TIMEOUT_S = 30.0

BLEACH_SCRIPT = r"""
import json, timeit
from community.sanitizer import clean_post
unit = ('<p>La <strong>cooperación descentralizada</strong> entre ciudades, con un enlace '
        'https://allas.org/cuadernos y <a href="javascript:alert(1)">otro</a>.</p>\n'
        '<ul><li>uno</li><li onclick="x()">dos</li></ul>\n\n')
out = {}
for label, size in (("1 KB", 1024), ("20 KB", 20 * 1024)):
    text = (unit * (size // len(unit) + 1))[:size]
    runs = 200 if size < 4096 else 20
    seconds = min(timeit.repeat(lambda: clean_post(text), number=runs, repeat=3)) / runs
    out[label] = round(seconds * 1e6, 1)
print(json.dumps(out))
"""


def _django(args, env):
    result = subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env={**env, "PYTHONPATH": str(PROJECT_DIR)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"café bench script failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _post(port, debate, cookie, body):
    token = secrets.token_hex(16)
    request = urllib.request.Request(
        f"http://{HOST}:{port}/cafe/debates/{debate}/responder/",
        data=urllib.parse.urlencode({"body": body}).encode(),
        headers={"Cookie": f"{cookie}; csrftoken={token}", "X-CSRFToken": token,
                 "Accept": "application/json",
                 "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        return json.loads(response.read())["id"]


async def _case(ports, debate, cookies, writer_cookie, sockets, reconnecting):
    stop = asyncio.Event()
    members = [
        Member(i, HOST, ports[i % len(ports)], debate["id"], cookie=cookies[i],
               client_ip=HOST, last_id=debate["last_id"], since=debate["change_seq"],
               behind_proxy=False)
        for i in range(sockets)
    ]
    started = time.perf_counter()
    tasks = []
    for index, member in enumerate(members):
        tasks.append(asyncio.create_task(member.run(stop)))
        if index % JOIN_BATCH == JOIN_BATCH - 1:
            await asyncio.sleep(0.05)  # not hundreds of handshakes in one burst
    deadline = started + JOIN_TIMEOUT_S
    while time.perf_counter() < deadline and any(m.hello_at is None for m in members):
        await asyncio.sleep(0.05)
    hellos = [m.hello_at for m in members if m.hello_at is not None]
    last_join = max(hellos, default=time.perf_counter())
    settle = None
    deadline = time.perf_counter() + SETTLE_TIMEOUT_S
    while time.perf_counter() < deadline:
        _target, settled, at = settle_state(members)
        if settled:
            settle = max(at - last_join, 0.0)
            break
        await asyncio.sleep(0.05)
    spread = presence_spread(members)
    # When the members saw their settled count, after the last hello: the median says
    # when the room's last announcement reached most of them, the settle (the last of
    # them) adds how long that announcement took to reach everyone.
    seen_after = sorted(max(m.presence_at - last_join, 0.0) for m in members
                        if m.open and m.presence_at is not None)
    settle_median = seen_after[len(seen_after) // 2] if settle is not None else None

    window = POSTS_PER_CASE * POST_INTERVAL_S
    if reconnecting:
        begin = time.perf_counter()
        for member in random.sample(members, round(sockets * RECONNECT_SHARE)):
            member.drop_at = begin + random.uniform(0.1, window)
    sent, answered, errors = {}, {}, []
    # CPU used while posting and fanning out: each server process, and this client.
    cpu_before = [cpu_seconds(port) for port in ports]
    client_before = time.process_time()
    for number in range(POSTS_PER_CASE):
        at = time.perf_counter()
        try:
            post_id = await asyncio.to_thread(
                _post, ports[0], debate["id"], writer_cookie, f"bench fan-out {number}")
        except (OSError, urllib.error.URLError, ValueError) as error:
            errors.append(repr(error))
        else:
            sent[post_id] = at
            answered[post_id] = time.perf_counter()
        await asyncio.sleep(POST_INTERVAL_S)
    deadline = time.perf_counter() + GRACE_S + (RECONNECT_GRACE_S if reconnecting else 0.0)
    while time.perf_counter() < deadline:
        if all(set(sent) <= set(m.arrivals) for m in members):
            break
        await asyncio.sleep(0.05)
    cpu_after = [cpu_seconds(port) for port in ports]
    client_cpu = time.process_time() - client_before
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 30)
    report = delivery_report(members, sent, list(sent), answered)
    posts = max(len(sent), 1)
    server_cpu = [None if a is None or b is None else round((b - a) / posts * 1000, 1)
                  for a, b in zip(cpu_before, cpu_after, strict=True)]
    return {
        "sockets": sockets,
        "reconnecting": f"{int(RECONNECT_SHARE * 100)} %" if reconnecting else "0 %",
        "posts": POSTS_PER_CASE,
        "posts_failed": len(errors),
        "expected": report["expected"],
        "delivered": report["delivered"],
        "lost": report["lost"],
        "duplicates": report["duplicates"],
        "via_resume": report["via_resume"],
        "p50_ms": report["live_p50_ms"],
        "p99_ms": report["live_p99_ms"],
        "p99_all_ms": report["all_p99_ms"],
        "after_answer_p99_ms": report["after_answer_p99_ms"],
        # How long the server took to answer the POST (the post is sent to the group
        # when its transaction commits, before the answer).
        "post_answer_ms": [round((answered[key] - sent[key]) * 1000, 1) for key in sent],
        "server_cpu_ms_per_post": server_cpu,
        "client_cpu_ms_per_post": round(client_cpu / posts * 1000, 1),
        "joins_s": round(last_join - started, 2) if hellos else None,
        "joined": len(hellos),
        "settle_s": round(settle, 2) if settle is not None else None,
        "settle_median_s": round(settle_median, 2) if settle_median is not None else None,
        "presence_counts_seen": spread,
        "reconnects": sum(m.reconnects for m in members),
        "socket_errors": sum(sum(m.errors.values()) for m in members),
        "post_errors": errors[:5],
    }


def _fmt(value, pattern):
    return "-" if value is None else pattern.format(value)


def cafe_realtime(ctx):
    rows, summary = [], []
    bleach = _django(["-c", BLEACH_SCRIPT], ctx.env)
    summary.append(
        "Bleach policy (community.sanitizer.clean_post): "
        + ", ".join(f"{label} post {micro:.0f} µs" for label, micro in bleach.items())
    )
    shared = bool(ctx.env.get("REDIS_URL"))
    processes = 2 if shared else 1
    cases = [(sockets, reconnecting) for sockets in SOCKET_COUNTS for reconnecting in (False, True)]
    # One debate per case, and one more for the warm-up posts.
    setup = _django([str(BENCH_DIR / "members.py"), "--members", str(max(SOCKET_COUNTS)),
                     "--prefix", "bench", "--debate-title", "Bench fan-out",
                     "--debates", str(len(cases) + 1)], ctx.env)
    *case_debates, warmup_debate = setup["debates"]
    uvicorn = next(server for server in SERVERS if server.name == "uvicorn")
    with ExitStack() as stack:
        ports = [stack.enter_context(running(uvicorn, ctx.env, log_dir=ctx.log_dir,
                                             log_name=f"cafe-uvicorn-{n + 1}"))
                 for n in range(processes)]
        # A process's first reply costs several times a later one (lazy imports, first
        # queries, templates): measured, it was the slowest post of the first case and
        # so its p99. A server that has answered a few replies is the case to measure.
        for number in range(WARMUP_POSTS):
            _post(ports[0], warmup_debate["id"], setup["writer_cookie"], f"warm-up {number}")
        for (sockets, reconnecting), debate in zip(cases, case_debates, strict=True):
            row = asyncio.run(_case(ports, debate, setup["cookies"], setup["writer_cookie"],
                                    sockets, reconnecting))
            rows.append(row)
            print(f"  café: {sockets} sockets, reconnecting {row['reconnecting']}: "
                  f"lost {row['lost']}, dupes {row['duplicates']}, settle {row['settle_s']}",
                  flush=True)
    for row in rows:
        row["p50"] = _fmt(row["p50_ms"], "{:.1f}")
        row["p99"] = _fmt(row["p99_ms"], "{:.1f}")
        row["p99_all"] = _fmt(row["p99_all_ms"], "{:.1f}")
        row["p99_answer"] = _fmt(row["after_answer_p99_ms"], "{:.1f}")
        answers = sorted(row["post_answer_ms"])
        row["post_answer"] = (f"{answers[len(answers) // 2]:.0f} / {answers[-1]:.0f}"
                              if answers else "-")
        row["server_cpu"] = " + ".join(_fmt(v, "{:.0f}") for v in row["server_cpu_ms_per_post"])
        row["client_cpu"] = _fmt(row["client_cpu_ms_per_post"], "{:.0f}")
        row["joins"] = _fmt(row["joins_s"], "{:.2f}")
        row["settle"] = (f"{row['settle_median_s']:.2f} / {row['settle_s']:.2f}"
                         if row["settle_s"] is not None else "-")
    bad = sum(row["lost"] + row["duplicates"] for row in rows)
    summary.append(
        "Every post reached every member exactly once." if bad == 0
        else f"WARNING: {bad} deliveries lost or duplicated."
    )
    unsettled = [row for row in rows if row["settle_s"] is None]
    for row in unsettled:
        seen = row["presence_counts_seen"]
        summary.append(
            f"Presence did not settle within {SETTLE_TIMEOUT_S:g} s with {row['sockets']} "
            f"members (reconnecting {row['reconnecting']}): counts seen "
            f"{seen['min']}..{seen['max']}, {seen['none']} members without any presence event."
        )
    where = ("two uvicorn processes + Redis" if shared
             else "one uvicorn process, in-memory channel layer")
    database = "PostgreSQL" if ctx.env.get("DATABASE_URL") else "SQLite"
    return Measurement(
        name="cafe_realtime",
        title=f"Café: one post to N signed-in members with presence ({where}, {database})",
        columns=[
            Column("sockets", "sockets"),
            Column("reconnecting", "reconnecting"),
            Column("expected", "deliveries"),
            Column("lost", "lost"),
            Column("duplicates", "dupes"),
            Column("p50", "p50 ms"),
            Column("p99", "p99 ms"),
            Column("p99_all", "p99 ms incl. resume"),
            Column("post_answer", "POST answer ms p50 / max"),
            Column("p99_answer", "p99 ms after answer"),
            Column("server_cpu", "server CPU ms/post"),
            Column("client_cpu", "client CPU ms/post"),
            Column("joins", "joins s"),
            Column("settle", "settle s median / last"),
        ],
        rows=rows,
        summary=summary,
        parameters={
            "posts_per_case": POSTS_PER_CASE,
            "warmup_posts": WARMUP_POSTS,
            "post_interval_s": POST_INTERVAL_S,
            "reconnect_share": RECONNECT_SHARE,
            "server_processes": processes,
            "channel_layer": "redis" if shared else "in-memory",
            "database": database,
            "settle_timeout_s": SETTLE_TIMEOUT_S,
            "bleach_us": bleach,
        },
    )
