"""Webinar live room: a question and a vote reaching N registered people's sockets.

N members (real accounts with database sessions, ``benchmarks/members.py``) registered
for a webinar that is live now (``benchmarks/webinar_rooms.py``; one room per case) open
the room socket ``/ws/webinars/<id>/sala/`` and resume from 0, as
``site/static/js/webinar-room.js`` does ("joins s": until every member got its
``hello``). Once every member has its ``resume.done``, over the socket:

* the room's moderator (not rate limited, on a socket of its own) asks QUESTIONS
  questions, one every INTERVAL_S: each must reach every member as ``question.created``;
* VOTES members, one after the other (every INTERVAL_S), vote for the first question:
  each vote must reach every member as ``question.voted`` with the new count.

Latency: from the moment the frame was sent until it arrived at a member, over every
(member, event) pair; lost: pairs that never arrived within GRACE_S; dupes: pairs that
arrived more than once.

Embedded default (no REDIS_URL): one uvicorn process, the in-memory channel layer. With
REDIS_URL: two processes sharing the Redis channel layer; members alternate between them
and the moderator's socket is on the first.
"""

import asyncio
import json
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack

from cafe_members import percentile_ms
from servers import BENCH_DIR, HOST, PROJECT_DIR, SERVERS, running

from .base import Column, Measurement

SOCKET_COUNTS = (100, 500)
QUESTIONS = 10
VOTES = 10
INTERVAL_S = 0.15
JOIN_BATCH = 50
JOIN_TIMEOUT_S = 60.0
REPLY_TIMEOUT_S = 10.0
GRACE_S = 3.0


def _django(args, env):
    result = subprocess.run(
        [sys.executable, *args], cwd=PROJECT_DIR, env={**env, "PYTHONPATH": str(PROJECT_DIR)},
        capture_output=True, text=True, timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"webinar bench script failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


class RoomClient:
    """One person's room socket: records when each question and vote count arrives."""

    def __init__(self, port, room, cookie):
        self.url = f"ws://{HOST}:{port}/ws/webinars/{room}/sala/"
        self.origin = f"http://{HOST}:{port}"
        self.cookie = cookie
        self.arrivals = {}  # ("q", id) or ("v", id, votes) -> [perf_counter, ...]
        self.replies = asyncio.Queue()  # asked / voted / error: answers to this socket
        self.hello_at = None
        self.resumed_at = None
        self.errors = Counter()
        self.ws = None

    async def send(self, frame):
        await self.ws.send(json.dumps(frame))

    async def run(self, stop):
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed, InvalidHandshake

        try:
            async with connect(self.url, origin=self.origin,
                               additional_headers={"Cookie": self.cookie}, open_timeout=30,
                               ping_interval=None, close_timeout=2, max_queue=None) as ws:
                self.ws = ws
                await ws.send(json.dumps({"type": "resume", "last_id": 0, "since": 0}))
                stopper = asyncio.ensure_future(stop.wait())
                while True:
                    receiver = asyncio.ensure_future(ws.recv())
                    done, _pending = await asyncio.wait(
                        {receiver, stopper}, return_when=asyncio.FIRST_COMPLETED)
                    if stopper in done:
                        receiver.cancel()
                        return
                    self.handle(receiver.result())
        except ConnectionClosed as closed:
            self.errors[f"closed {closed.rcvd.code if closed.rcvd else 1006}"] += 1
        except (OSError, TimeoutError, InvalidHandshake) as error:
            self.errors[type(error).__name__] += 1

    def handle(self, message):
        now = time.perf_counter()
        event = json.loads(message)
        kind = event.get("type")
        if kind == "question.created":
            self.arrivals.setdefault(("q", event["id"]), []).append(now)
        elif kind == "question.voted":
            self.arrivals.setdefault(("v", event["id"], event["votes"]), []).append(now)
        elif kind == "hello":
            self.hello_at = now
        elif kind == "resume.done":
            self.resumed_at = now
        elif kind in ("asked", "voted", "error"):
            self.replies.put_nowait(event)


async def _reply(client, kind):
    reply = await asyncio.wait_for(client.replies.get(), REPLY_TIMEOUT_S)
    if reply["type"] != kind:
        raise RuntimeError(f"expected {kind}, got {reply}")
    return reply


async def _case(ports, room, cookies, writer_cookie, sockets):
    stop = asyncio.Event()
    members = [RoomClient(ports[i % len(ports)], room, cookies[i]) for i in range(sockets)]
    writer = RoomClient(ports[0], room, writer_cookie)
    started = time.perf_counter()
    tasks = [asyncio.create_task(writer.run(stop))]
    for index, member in enumerate(members):
        tasks.append(asyncio.create_task(member.run(stop)))
        if index % JOIN_BATCH == JOIN_BATCH - 1:
            await asyncio.sleep(0.05)  # not hundreds of handshakes in one burst
    deadline = started + JOIN_TIMEOUT_S
    everyone = [writer, *members]
    while time.perf_counter() < deadline and any(c.hello_at is None for c in everyone):
        await asyncio.sleep(0.05)
    joined = [m.hello_at for m in members if m.hello_at is not None]
    joins_s = max(joined, default=started) - started
    # Measure the room once everyone has caught up (the join storm is "joins s").
    while time.perf_counter() < deadline and any(c.resumed_at is None for c in everyone):
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.0)

    sent = {}  # key -> perf_counter when its frame left
    kinds = {}
    first = None
    for number in range(QUESTIONS):
        at = time.perf_counter()
        await writer.send({"type": "ask", "text": f"Pregunta de carga {number}"})
        question = (await _reply(writer, "asked"))["id"]
        first = first or question
        sent[("q", question)] = at
        kinds[("q", question)] = "question"
        await asyncio.sleep(INTERVAL_S)
    for voter in members[:VOTES]:
        at = time.perf_counter()
        await voter.send({"type": "vote", "id": first})
        votes = (await _reply(voter, "voted"))["votes"]
        sent[("v", first, votes)] = at
        kinds[("v", first, votes)] = "vote"
        await asyncio.sleep(INTERVAL_S)

    deadline = time.perf_counter() + GRACE_S
    while time.perf_counter() < deadline:
        if all(key in m.arrivals for m in members for key in sent):
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 30)

    latencies = {"question": [], "vote": []}
    lost = dupes = 0
    for member in members:
        for key, at in sent.items():
            arrived = member.arrivals.get(key)
            if not arrived:
                lost += 1
                continue
            dupes += len(arrived) - 1
            latencies[kinds[key]].append(arrived[0] - at)
    return {
        "sockets": sockets,
        "joined": len(joined),
        "joins_s": round(joins_s, 2),
        "expected": len(sent) * sockets,
        "lost": lost,
        "duplicates": dupes,
        "question_p50_ms": percentile_ms(latencies["question"], 50),
        "question_p99_ms": percentile_ms(latencies["question"], 99),
        "vote_p50_ms": percentile_ms(latencies["vote"], 50),
        "vote_p99_ms": percentile_ms(latencies["vote"], 99),
        "socket_errors": dict(sum((m.errors for m in everyone), Counter())),
    }


def _fmt(value, pattern="{:.1f}"):
    return "-" if value is None else pattern.format(value)


def webinar_qa(ctx):
    shared = bool(ctx.env.get("REDIS_URL"))
    processes = 2 if shared else 1
    prefix = "benchqa"
    people = _django([str(BENCH_DIR / "members.py"), "--members", str(max(SOCKET_COUNTS)),
                      "--prefix", prefix, "--debate-title", "Bench Q&A"], ctx.env)
    rooms = _django([str(BENCH_DIR / "webinar_rooms.py"), "--prefix", prefix,
                     "--rooms", str(len(SOCKET_COUNTS))], ctx.env)["rooms"]
    uvicorn = next(server for server in SERVERS if server.name == "uvicorn")
    rows = []
    with ExitStack() as stack:
        ports = [stack.enter_context(running(uvicorn, ctx.env, log_dir=ctx.log_dir,
                                             log_name=f"webinar-qa-uvicorn-{n + 1}"))
                 for n in range(processes)]
        for sockets, room in zip(SOCKET_COUNTS, rooms, strict=True):
            row = asyncio.run(_case(ports, room, people["cookies"], people["writer_cookie"],
                                    sockets))
            rows.append(row)
            print(f"  webinar Q&A: {sockets} sockets: lost {row['lost']}, "
                  f"dupes {row['duplicates']}, errors {row['socket_errors']}", flush=True)
    for row in rows:
        for key in ("question_p50_ms", "question_p99_ms", "vote_p50_ms", "vote_p99_ms"):
            row[key.removesuffix("_ms")] = _fmt(row[key])
        row["joins"] = _fmt(row["joins_s"], "{:.2f}")
    bad = sum(row["lost"] + row["duplicates"] for row in rows)
    summary = [
        f"{QUESTIONS} questions and {VOTES} votes per case, one every {INTERVAL_S:g} s.",
        "Every question and vote reached every member exactly once." if bad == 0
        else f"WARNING: {bad} deliveries lost or duplicated.",
    ]
    where = ("two uvicorn processes + Redis" if shared
             else "one uvicorn process, in-memory channel layer")
    database = "PostgreSQL" if ctx.env.get("DATABASE_URL") else "SQLite"
    return Measurement(
        name="webinar_qa",
        title=f"Webinar room: questions and votes to N registered people ({where}, {database})",
        columns=[
            Column("sockets", "sockets"),
            Column("expected", "deliveries"),
            Column("lost", "lost"),
            Column("duplicates", "dupes"),
            Column("question_p50", "question p50 ms"),
            Column("question_p99", "question p99 ms"),
            Column("vote_p50", "vote p50 ms"),
            Column("vote_p99", "vote p99 ms"),
            Column("joins", "joins s"),
        ],
        rows=rows,
        summary=summary,
        parameters={"questions": QUESTIONS, "votes": VOTES, "interval_s": INTERVAL_S,
                    "server_processes": processes,
                    "channel_layer": "redis" if shared else "in-memory",
                    "database": database},
    )
