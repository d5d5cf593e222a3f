"""Café con AL-LAs: WebSocket fan-out through two server processes and Redis, and the
cost of the bleach policy.

Fan-out: N anonymous readers of one public debate, split between two uvicorn processes
that share the Redis channel layer; a moderator (not rate limited) posts through HTTP to
the first process. Each reader records when every post arrives (p50/p99 latency from
the moment the POST was sent) and which ids it got. In the "reconnecting" cases 20 % of
the readers drop their socket once during the run, reconnect and resume from the last id
they had: every post must still arrive exactly once (lost and duplicates, target 0).
Runs only with REDIS_URL set (the in-memory layer cannot cross processes).
"""

import asyncio
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack

from servers import HOST, PROJECT_DIR, SERVERS, running

from .base import Column, Measurement

SOCKET_COUNTS = (50, 200, 500)
POSTS_PER_CASE = 10
POST_INTERVAL_S = 0.15
RECONNECT_SHARE = 0.2
GRACE_S = 3.0
NONCE = re.compile(r"bench-(\d+)-(\d+)")

SETUP_SCRIPT = r"""
import json, django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from community import services
from community.models import Category, Debate
User = get_user_model()
writer, _ = User.objects.get_or_create(email="bench-cafe@bench.example",
                                       defaults={"display_name": "Bench Café"})
writer.groups.add(Group.objects.get_or_create(name="Moderators")[0],
                  Group.objects.get_or_create(name="Learners")[0])
category, _ = Category.objects.get_or_create(
    slug="bench-cafe", defaults={"name": "Bench", "read_access": "everyone",
                                 "post_access": "members", "approve_first_posts": False})
debate = Debate.objects.filter(category=category, title="Bench fan-out").first()
if debate is None:
    debate = services.do_start_debate(writer, category, title="Bench fan-out", body="bench")
session = SessionStore()
session[SESSION_KEY] = str(writer.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = writer.get_session_auth_hash()
session.create()
from django.conf import settings
cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
print(json.dumps({"debate": debate.pk, "cookie": cookie}))
"""

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


def _django(script, env):
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        env={**env, "PYTHONPATH": str(PROJECT_DIR)},
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
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
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return json.loads(response.read())["id"]


async def _reader(index, port, debate, state):
    from websockets.asyncio.client import connect

    url = f"ws://{HOST}:{port}/ws/cafe/debates/{debate}/"
    last_id = None
    got = state["received"][index]
    while not state["done"]:
        try:
            async with connect(url, origin=f"http://{HOST}:{port}", open_timeout=20) as ws:
                hello = json.loads(await ws.recv())
                if last_id is None:
                    last_id = hello["last_id"]
                    state["ready"] += 1
                else:
                    await ws.send(json.dumps({"type": "resume", "last_id": last_id}))
                dropped = False
                while not state["done"]:
                    when = state["reconnect_at"].get(index)
                    if when and time.perf_counter() >= when:
                        state["reconnect_at"][index] = None
                        dropped = True
                        break  # drop the socket; the outer loop reconnects and resumes
                    try:
                        message = await asyncio.wait_for(ws.recv(), timeout=0.2)
                    except TimeoutError:
                        continue
                    event = json.loads(message)
                    if event["type"] != "post.created":
                        continue
                    now = time.perf_counter()
                    got.append(event["id"])
                    last_id = max(last_id, event["id"])
                    match = NONCE.search(event["post"]["body_html"])
                    if match and not event.get("replay") and match.group(1) == state["run"]:
                        state["latencies"].append(now - state["sent"][int(match.group(2))])
            if dropped:
                await asyncio.sleep(random.uniform(0.05, 0.3))
        except (OSError, TimeoutError) as error:
            state["errors"].append(repr(error))
            await asyncio.sleep(0.2)


async def _case(ports, debate, cookie, sockets, reconnecting):
    run = str(random.randrange(10**6))
    state = {"received": [[] for _ in range(sockets)], "latencies": [], "sent": {},
             "errors": [], "done": False, "ready": 0, "run": run, "reconnect_at": {}}
    window = POSTS_PER_CASE * POST_INTERVAL_S
    tasks = []
    start = time.perf_counter()
    for index in range(sockets):
        tasks.append(asyncio.create_task(_reader(index, ports[index % 2], debate, state)))
        if index % 50 == 49:
            await asyncio.sleep(0.05)  # do not open hundreds of handshakes at once
    deadline = time.perf_counter() + 60
    while state["ready"] < sockets and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    connect_s = time.perf_counter() - start
    if reconnecting:
        # Give each reconnecting reader a random moment inside the posting window.
        begin = time.perf_counter()
        for index in range(0, sockets, round(1 / RECONNECT_SHARE)):
            state["reconnect_at"][index] = begin + random.uniform(0.1, window)
    ids = []
    for number in range(POSTS_PER_CASE):
        state["sent"][number] = time.perf_counter()
        ids.append(await asyncio.to_thread(
            _post, ports[0], debate, cookie, f"bench-{run}-{number} fan-out"))
        await asyncio.sleep(POST_INTERVAL_S)
    expected = set(ids)
    deadline = time.perf_counter() + GRACE_S + (2.0 if reconnecting else 0.0)
    while time.perf_counter() < deadline:
        if all(expected <= set(got) for got in state["received"]):
            break
        await asyncio.sleep(0.05)
    state["done"] = True
    await asyncio.gather(*tasks, return_exceptions=True)
    delivered = lost = duplicates = 0
    for got in state["received"]:
        mine = [pk for pk in got if pk in expected]
        delivered += len(set(mine))
        lost += len(expected - set(mine))
        duplicates += len(mine) - len(set(mine))
    latencies = sorted(state["latencies"])
    return {
        "sockets": sockets,
        "reconnecting": f"{int(RECONNECT_SHARE * 100)} %" if reconnecting else "0 %",
        "posts": POSTS_PER_CASE,
        "expected": sockets * POSTS_PER_CASE,
        "delivered": delivered,
        "lost": lost,
        "duplicates": duplicates,
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else 0.0,
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1) if latencies else 0.0,
        "connect_s": round(connect_s, 2),
        "socket_errors": len(state["errors"]),
    }


def cafe_realtime(ctx):
    rows, summary = [], []
    bleach = _django(BLEACH_SCRIPT, ctx.env)
    summary.append(
        "Bleach policy (community.sanitizer.clean_post): "
        + ", ".join(f"{label} post {micro:.0f} µs" for label, micro in bleach.items())
    )
    if not ctx.env.get("REDIS_URL"):
        summary.append("Fan-out skipped: set REDIS_URL (two server processes need Redis).")
    else:
        setup = _django(SETUP_SCRIPT, ctx.env)
        uvicorn = next(server for server in SERVERS if server.name == "uvicorn")
        with ExitStack() as stack:
            ports = [stack.enter_context(running(uvicorn, ctx.env)) for _ in range(2)]
            for sockets in SOCKET_COUNTS:
                for reconnecting in (False, True):
                    rows.append(asyncio.run(
                        _case(ports, setup["debate"], setup["cookie"], sockets, reconnecting)
                    ))
        if rows:
            lost = sum(row["lost"] + row["duplicates"] for row in rows)
            summary.append(
                "Every post reached every socket exactly once." if lost == 0
                else f"WARNING: {lost} deliveries lost or duplicated."
            )
    return Measurement(
        name="cafe_realtime",
        title="Café: one post to N sockets over two uvicorn processes + Redis",
        columns=[
            Column("sockets", "sockets"),
            Column("reconnecting", "reconnecting"),
            Column("expected", "deliveries"),
            Column("lost", "lost"),
            Column("duplicates", "dupes"),
            Column("p50_ms", "p50 ms", "{:.1f}"),
            Column("p99_ms", "p99 ms", "{:.1f}"),
            Column("connect_s", "connect s", "{:.2f}"),
        ],
        rows=rows,
        summary=summary,
        parameters={
            "posts_per_case": POSTS_PER_CASE,
            "post_interval_s": POST_INTERVAL_S,
            "reconnect_share": RECONNECT_SHARE,
            "server_processes": 2,
            "bleach_us": bleach,
            "cpus": os.cpu_count(),
        },
    )
