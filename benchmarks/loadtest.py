"""Load test of the production setup, self-contained and loopback-only (``make loadtest``).

    .venv/bin/python benchmarks/loadtest.py                      # defaults: about 5 minutes
    .venv/bin/python benchmarks/loadtest.py --users 40 --sockets 100 --duration 30 --no-outage

It starts its own PostgreSQL cluster and redis-server on free ports, migrates, loads the
demo, creates the member accounts, collects the static files and serves the platform with
two ``scripts/serve-production.sh`` processes (production settings). Then:

1. joins: the WebSocket members open their debate sockets (all in one debate), and the
   test waits until every socket has seen the final presence count;
2. the run (``--duration``): browsing visitors (anonymous and logged in through the real
   log-in form) read pages with think time, some members post replies over HTTP, Redis is
   restarted and later PostgreSQL is stopped for ~10 s;
3. drain: the load stops and the sockets get ``--grace`` seconds to reconnect, resume and
   receive every accepted post.

It prints one table and writes ``benchmarks/results/loadtest.json``; the servers', Redis's
and PostgreSQL's output stay in ``benchmarks/results/loadtest/``. Everything it started is
stopped, and its temporary directory removed, on success, error or Ctrl-C.
See benchmarks/README.md for what each figure means.
"""

import argparse
import asyncio
import json
import os
import platform
import random
import re
import resource
import signal
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime

import serverlogs
from cafe_members import Member, delivery_report, percentile_ms, presence_spread, settle_state
from httpclient import Browser, require_loopback
from servers import BENCH_DIR, HOST, PROJECT_DIR
from stack import DB_NAME, Stack

RESULTS_DIR = BENCH_DIR / "results"
LOG_DIR = RESULTS_DIR / "loadtest"
POST_ID = re.compile(r"/mensajes/(\d+)/")
NONCE = re.compile(r"carga-(\d+)-(\d+)")
LOGIN_PATH = "/cuentas/login/"
REQUEST_TIMEOUT_S = 30.0
ORDER = ["home /", "/cuadernos/", "publication page", "/cursos/", "course page", "/cafe/",
         "debate page", "/mi-aprendizaje/", "log-in form GET", "log-in POST",
         "debate page (poster)", "reply POST (fetch)", "reply POST (form)"]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="browsing visitors")
    parser.add_argument("--logged-in", type=float, default=0.5,
                        help="share of the visitors who log in (the rest browse anonymously)")
    parser.add_argument("--sockets", type=int, default=500, help="members on debate sockets")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--no-outage", action="store_true", help="no Redis/PostgreSQL outage")
    parser.add_argument("--think", default="5,15", help="think time range in seconds, 'min,max'")
    parser.add_argument("--posters", type=int, default=20, help="members (with sockets) who post")
    parser.add_argument("--post-every", type=float, default=2.0,
                        help="seconds between two posts (all posters together)")
    parser.add_argument("--visible", type=float, default=0.2,
                        help="share of sockets in a foreground tab (they send 'read')")
    parser.add_argument("--join-rate", type=float, default=50.0, help="socket joins per second")
    parser.add_argument("--settle-timeout", type=float, default=30.0,
                        help="longest wait for the presence count to settle after the joins")
    parser.add_argument("--grace", type=float, default=45.0,
                        help="longest wait after the load for sockets to catch up")
    parser.add_argument("--redis-down", type=float, default=4.0, help="seconds Redis is down")
    parser.add_argument("--pg-down", type=float, default=10.0, help="seconds PostgreSQL is down")
    parser.add_argument("--web-processes", type=int, default=2, help="uvicorn processes")
    parser.add_argument("--host", default=HOST, help="loopback address only (127.0.0.0/8, ::1)")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    try:
        require_loopback(args.host)
    except ValueError as error:
        parser.error(str(error))
    if args.host != HOST:
        parser.error("the servers listen on 127.0.0.1 only")
    low, _, high = args.think.partition(",")
    args.think = (float(low), float(high or low))
    args.posters = min(args.posters, args.sockets)
    if args.users < 0 or args.sockets < 0 or args.duration <= 0:
        parser.error("users and sockets must be ≥ 0, duration > 0")
    return args


# --- measurements ------------------------------------------------------------------------


class PageStats:
    """Per page: latencies of answered requests and what the answers were."""

    def __init__(self, started, bucket_s=5.0):
        self.latencies = defaultdict(list)
        self.statuses = defaultdict(Counter)
        self.errors = defaultdict(Counter)  # label -> kind -> count (exceptions, odd answers)
        self.started = started
        self.bucket_s = bucket_s
        self.buckets = defaultdict(lambda: {"requests": 0, "503": 0, "5xx": 0, "errors": 0,
                                            "latencies": []})
        self.answers = []  # (seconds on the timeline's clock, status or None)

    def record(self, label, response=None, error=None, odd=None):
        """Count an answer (or its absence) in its row and in the time bucket of its end."""
        at = time.perf_counter() - self.started
        self.answers.append((round(at, 2), response.status if response is not None else None))
        bucket = self.buckets[int(at // self.bucket_s)]
        bucket["requests"] += 1
        if response is None or odd:
            bucket["errors"] += 1
        elif response.status == 503:
            bucket["503"] += 1
        elif response.status >= 500:
            bucket["5xx"] += 1
        if response is not None:
            bucket["latencies"].append(response.seconds)
        if response is not None:
            self.latencies[label].append(response.seconds)
            self.statuses[label][response.status] += 1
            if odd:
                self.errors[label][odd] += 1
        else:
            self.statuses[label]["no answer"] += 1
            self.errors[label][error] += 1

    def over_time(self):
        rows = []
        for index in sorted(self.buckets):
            bucket = self.buckets[index]
            rows.append({"from_s": index * self.bucket_s, "requests": bucket["requests"],
                         "503": bucket["503"], "5xx": bucket["5xx"], "errors": bucket["errors"],
                         "p50_ms": percentile_ms(bucket["latencies"], 50),
                         "max_ms": percentile_ms(bucket["latencies"], 100)})
        return rows

    def rows(self):
        rows = []
        known = [label for label in ORDER if label in self.statuses]
        for label in known + sorted(set(self.statuses) - set(known)):
            statuses = self.statuses[label]
            latencies = self.latencies[label]
            count = sum(statuses.values())
            n503 = statuses.get(503, 0)
            n5xx = sum(n for s, n in statuses.items() if isinstance(s, int) and s >= 500) - n503
            rows.append({
                "page": label,
                "requests": count,
                "p50_ms": percentile_ms(latencies, 50),
                "p95_ms": percentile_ms(latencies, 95),
                "max_ms": percentile_ms(latencies, 100),
                "5xx": n5xx,
                "503": n503,
                "other_errors": sum(self.errors[label].values()),
                "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
                "error_kinds": dict(self.errors[label].most_common()),
            })
        return rows


class PgSampler(threading.Thread):
    """Connections to the application database, once a second (None while it is down)."""

    def __init__(self, port, started_at):
        super().__init__(daemon=True)
        self.port = port
        self.samples = []  # (seconds on the timeline's clock, count or None)
        self.stopping = threading.Event()
        self.started_at = started_at

    def count(self):
        import psycopg

        with psycopg.connect(host=HOST, port=self.port, user="postgres", dbname="postgres",
                             connect_timeout=2, autocommit=True) as conn:
            return conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [DB_NAME]
            ).fetchone()[0]

    def run(self):
        while not self.stopping.wait(1.0):
            try:
                value = self.count()
            except Exception:  # noqa: BLE001 - the database is down: no sample
                value = None
            self.samples.append((round(time.perf_counter() - self.started_at, 1), value))

    @property
    def peak(self):
        return max((value for _t, value in self.samples if value is not None), default=None)


class LoopLag:
    """How late this client's own event loop wakes up: if it lags, the client (not the
    servers) is what delays the figures."""

    def __init__(self):
        self.max_s = 0.0
        self.max_at = None
        self.over_1s = 0
        self.task = None

    async def watch(self, timeline, every=0.1):
        while True:
            before = time.perf_counter()
            await asyncio.sleep(every)
            lag = time.perf_counter() - before - every
            if lag > self.max_s:
                self.max_s, self.max_at = lag, round(time.perf_counter() - timeline.started, 1)
            if lag > 1.0:
                self.over_1s += 1


async def supervise(stack):
    """Restart web processes and the worker that exit, like compose's restart policy."""
    while True:
        await asyncio.sleep(1.0)
        before = len(stack.restarts)
        await asyncio.to_thread(stack.supervise)
        for what, code in stack.restarts[before:]:
            print(f"  restart policy: {what} had exited with {code}; started again", flush=True)


def cpu_now():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Timeline:
    def __init__(self):
        self.started = time.perf_counter()
        self.events = []

    def mark(self, what):
        at = round(time.perf_counter() - self.started, 1)
        self.events.append((at, what))
        print(f"  [{at:6.1f} s] {what}", flush=True)


# --- visitors and posters -----------------------------------------------------------------


def client_ip(index):
    """A distinct documentation-range address per virtual visitor (sent as X-Forwarded-For,
    never contacted)."""
    return f"10.{77 + index // 62500}.{index // 250 % 250}.{index % 250 + 1}"


async def timed(stats, label, call, expect=(200,), odd_location=None):
    try:
        response = await call
    except (OSError, TimeoutError, ValueError, IndexError, asyncio.IncompleteReadError) as exc:
        stats.record(label, error=type(exc).__name__)
        return None
    odd = None
    if response.status not in expect and not (response.status >= 500):
        odd = f"HTTP {response.status}"
    location = response.header("location") or ""
    if odd_location and odd_location in location:
        odd = f"redirected to {odd_location}"
    stats.record(label, response, odd=odd)
    return response


async def log_in(browser, email, password, stats):
    form = await timed(stats, "log-in form GET", browser.get(LOGIN_PATH))
    token = form.csrf_token() if form is not None else None
    if token is None:
        return False
    answer = await timed(
        stats, "log-in POST",
        browser.post(LOGIN_PATH, {"login": email, "password": password,
                                  "csrfmiddlewaretoken": token}),
        expect=(302, 303),
    )
    return answer is not None and answer.status in (302, 303) and "sessionid" in browser.cookies


async def visitor(index, port, pages, member_pages, account, stats, stop, think, ramp):
    browser = Browser(HOST, port, client_ip=client_ip(index), timeout=REQUEST_TIMEOUT_S)
    logged_in = False
    try:
        if await _sleep_or_stop(stop, random.uniform(0, ramp)):
            return
        while not stop.is_set():
            if account and not logged_in:
                logged_in = await log_in(browser, *account, stats)
            choices = pages + (member_pages if logged_in else [])
            label, path = random.choice(choices)
            await timed(stats, label, browser.get(path), expect=(200,),
                        odd_location=LOGIN_PATH if logged_in else None)
            if await _sleep_or_stop(stop, random.uniform(*think)):
                return
    finally:
        await browser.close()


async def _sleep_or_stop(stop, seconds):
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return False
    return True


class Posting:
    """Members who also hold sockets post replies: half through fetch (JSON, 201), half
    through the plain form (302 to the post). Every accepted post must reach every socket."""

    def __init__(self, run_id, debate_url, stats, timeline):
        self.run_id = run_id
        self.url = debate_url.rstrip("/") + "/responder/"
        self.debate_url = debate_url
        self.stats = stats
        self.timeline = timeline
        self.sent = {}  # nonce -> perf_counter when the POST was sent
        self.accepted = {}  # nonce -> post id (None: accepted, id not in the answer)
        self.refused = Counter()
        self.answers = {}  # nonce -> (HTTP status or error, seconds to answer)
        self.tasks = set()

    async def prepare(self, browser):
        page = await timed(self.stats, "debate page (poster)", browser.get(self.debate_url))
        browser.csrf = page.csrf_token() if page is not None else None

    async def post(self, browser, number):
        if getattr(browser, "csrf", None) is None:
            await self.prepare(browser)
        nonce = f"carga-{self.run_id}-{number}"
        body = f"<p>Mensaje {nonce}: <strong>fan-out</strong> bajo carga.</p>"
        fetch = number % 2 == 0
        self.sent[nonce] = time.perf_counter()
        if fetch:
            call = browser.post(self.url, {"body": body},
                                headers={"Accept": "application/json",
                                         "X-CSRFToken": browser.csrf or ""})
            label, expect = "reply POST (fetch)", (201,)
        else:
            call = browser.post(self.url, {"body": body, "csrfmiddlewaretoken": browser.csrf or ""})
            label, expect = "reply POST (form)", (302, 303)
        response = await timed(self.stats, label, call, expect=expect)
        if response is None:
            self.refused["no answer"] += 1
            self.answers[nonce] = ("no answer", time.perf_counter() - self.sent[nonce])
            return
        self.answers[nonce] = (response.status, response.seconds)
        if 200 <= response.status < 400:
            post_id = None
            if fetch:
                try:
                    post_id = json.loads(response.body).get("id")
                except ValueError:
                    post_id = None
            else:
                match = POST_ID.search(response.header("location") or "")
                post_id = int(match.group(1)) if match else None
            self.accepted[nonce] = post_id
        else:
            self.refused[response.status] += 1
            if response.status == 403:
                browser.csrf = None  # fetch a fresh token next time

    def start(self, browser, number):
        task = asyncio.create_task(self.post(browser, number))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)


async def posting_loop(posting, browsers, every, stop):
    number = 0
    while not stop.is_set():
        posting.start(browsers[number % len(browsers)], number)
        number += 1
        if await _sleep_or_stop(stop, every):
            break


async def outages(stack, args, timeline, stop):
    """Redis restart at 35 % of the run, PostgreSQL down from 55 %."""
    if await _sleep_or_stop(stop, 0.35 * args.duration):
        return
    timeline.mark("Redis: stop")
    await asyncio.to_thread(stack.stop_redis)
    await asyncio.sleep(args.redis_down)
    await asyncio.to_thread(stack.start_redis)
    timeline.mark("Redis: started again (empty)")
    pg_at = 0.55 * args.duration
    if await _sleep_or_stop(stop, max(pg_at - (time.perf_counter() - timeline.run_started), 0)):
        return
    timeline.mark("PostgreSQL: stop (fast shutdown)")
    await asyncio.to_thread(stack.stop_postgres)
    await asyncio.sleep(args.pg_down)
    await asyncio.to_thread(stack.start_postgres)
    timeline.mark("PostgreSQL: started again")


# --- the run ------------------------------------------------------------------------------


async def load(args, stack, ports, setup, timeline, sampler):
    run_id = str(random.randrange(10**6))
    stats = PageStats(timeline.started)
    result = {"ports": ports}
    debate_url = setup["debate_url"]
    lag = LoopLag()
    lag_task = asyncio.create_task(lag.watch(timeline))
    supervisor = asyncio.create_task(supervise(stack))
    lag_task_started = time.perf_counter()
    client_cpu = cpu_now()
    load_before = os.getloadavg()
    servers_cpu = stack.cpu_seconds()
    nonce_ids = {}
    # Resident memory per process at each phase: what start-up, the open sockets and the
    # browsing each cost (the target is read "at the end", sockets still open).
    rss_phases = {"start": stack.web_rss_mb()}

    # 1. Joins ---------------------------------------------------------------------------
    stop_sockets = asyncio.Event()
    visible = round(args.visible * args.sockets)
    members = [
        Member(i, HOST, ports[i % len(ports)], setup["debate"], cookie=setup["cookies"][i],
               client_ip=client_ip(100_000 + i), last_id=setup["last_id"],
               since=setup["change_seq"], visible=i < visible, nonces=(NONCE, nonce_ids))
        for i in range(args.sockets)
    ]
    timeline.mark(f"joins: {args.sockets} sockets at {args.join_rate:g}/s over {len(ports)} "
                  "processes")
    join_started = time.perf_counter()
    socket_tasks = []
    for member in members:
        socket_tasks.append(asyncio.create_task(member.run(stop_sockets)))
        await asyncio.sleep(1 / args.join_rate)
    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline and any(m.hello_at is None for m in members):
        await asyncio.sleep(0.1)
    joined = [m for m in members if m.hello_at is not None]
    last_join = max((m.hello_at for m in joined), default=time.perf_counter())
    result["joins"] = {"joined": len(joined), "seconds": round(last_join - join_started, 2)}
    timeline.mark(f"joins: {len(joined)}/{args.sockets} sockets said hello "
                  f"in {last_join - join_started:.1f} s")
    settle = None
    deadline = time.perf_counter() + args.settle_timeout
    while members and time.perf_counter() < deadline:
        target, settled, at = settle_state(members)
        if settled:
            settle = max(at - last_join, 0.0)
            break
        await asyncio.sleep(0.1)
    target, settled, _at = settle_state(members)
    rss_phases["sockets joined"] = stack.web_rss_mb()
    result["presence"] = {
        "target": target, "settled": settle is not None,
        "settle_s": round(settle, 2) if settle is not None else None,
        "timeout_s": args.settle_timeout, "spread_at_end_of_wait": presence_spread(members),
        "presence_events_received": sum(m.presence_events for m in members),
    }
    timeline.mark("presence: " + (f"settled at {target} after {settle:.2f} s" if settle is not None
                                  else f"not settled after {args.settle_timeout:g} s "
                                       f"({presence_spread(members)})"))

    # 2. The run ---------------------------------------------------------------------------
    stop_load = asyncio.Event()
    pages = [("home /", "/"), ("/cuadernos/", "/cuadernos/"), ("/cursos/", "/cursos/"),
             ("/cafe/", "/cafe/"), ("debate page", debate_url)]
    for key, label in (("publication", "publication page"), ("course", "course page")):
        if setup["pages"].get(key):
            pages.append((label, setup["pages"][key]))
    member_pages = [("/mi-aprendizaje/", "/mi-aprendizaje/")]
    logged_in = round(args.logged_in * args.users)
    accounts = [(email, setup["password"]) for email in setup["emails"][args.sockets:]]
    posting = Posting(run_id, debate_url, stats, timeline)
    poster_browsers = []
    for i in range(args.posters):
        browser = Browser(HOST, ports[i % len(ports)], client_ip=client_ip(100_000 + i),
                          timeout=REQUEST_TIMEOUT_S)
        browser.cookies[setup["cookie_name"]] = setup["cookies"][i].split("=", 1)[1]
        poster_browsers.append(browser)
    await asyncio.gather(*(posting.prepare(b) for b in poster_browsers))
    timeline.mark(f"run: {args.users} visitors ({logged_in} log in), "
                  f"{args.posters} posters, {args.duration:g} s")
    timeline.run_started = time.perf_counter()
    ramp = min(15.0, args.duration / 4)
    visitors = [
        asyncio.create_task(visitor(i, ports[i % len(ports)], pages, member_pages,
                                    accounts[i] if i < logged_in else None, stats, stop_load,
                                    args.think, ramp))
        for i in range(args.users)
    ]
    background = []
    if poster_browsers:
        background.append(asyncio.create_task(
            posting_loop(posting, poster_browsers, args.post_every, stop_load)))
    if not args.no_outage:
        background.append(asyncio.create_task(outages(stack, args, timeline, stop_load)))
    await asyncio.sleep(args.duration)
    stop_load.set()
    timeline.mark("run: load stops")
    # Outages finish (a stopped service is started again) before anything is judged.
    await asyncio.wait_for(asyncio.gather(*background), 60)
    await asyncio.wait_for(asyncio.gather(*visitors, *list(posting.tasks),
                                          return_exceptions=True), REQUEST_TIMEOUT_S + 5)
    for browser in poster_browsers:
        await browser.close()

    # 3. Drain -----------------------------------------------------------------------------
    probe_browser = Browser(HOST, ports[0], client_ip=client_ip(200_000),
                            timeout=REQUEST_TIMEOUT_S)
    probe = asyncio.create_task(probe_until_served(probe_browser, args.grace, timeline))
    accepted = {nonce: post_id or nonce_ids.get(nonce) for nonce, post_id in
                posting.accepted.items()}
    deadline = time.perf_counter() + args.grace

    def caught_up():
        ids = {post_id for post_id in accepted.values() if post_id is not None}
        if None in accepted.values():
            ids = None  # an accepted post no socket has seen yet
        for member in members:
            if member.gave_up:
                continue
            if not (member.open and member.resumed):
                return False
            if ids is None or not ids.issubset(member.arrivals):
                return False
        return True

    while time.perf_counter() < deadline and not caught_up():
        await asyncio.sleep(0.25)
        accepted = {nonce: post_id or nonce_ids.get(nonce)
                    for nonce, post_id in posting.accepted.items()}
    drain_s = round(time.perf_counter() - timeline.run_started - args.duration, 1)
    open_at_end = sum(1 for m in members if m.open)
    try:
        served_at = await asyncio.wait_for(probe, REQUEST_TIMEOUT_S + args.grace)
    except TimeoutError:
        served_at = None
    await probe_browser.close()
    stopped_at = next((at for at, what in timeline.events if what == "run: load stops"), None)
    result["recovery"] = recovery(stats.answers, timeline.events)
    result["recovery"]["after the load"] = {
        "load_stopped_at_s": stopped_at, "first_non_503_at_s": served_at,
        "after_s": round(served_at - stopped_at, 1) if served_at and stopped_at else None}
    timeline.mark(f"drain: {'caught up' if caught_up() else 'grace over'}")
    result["pg_connections_end"] = await asyncio.to_thread(_pg_now, sampler)
    result["rss_mb"] = rss_phases["end"] = stack.web_rss_mb()
    result["cpu_s"] = {name: round(seconds - servers_cpu.get(name, 0.0), 1)
                       for name, seconds in stack.cpu_seconds().items()}
    result["cpu_s"]["load client"] = round(cpu_now() - client_cpu, 1)
    result["load_average"] = {"before": [round(x, 1) for x in load_before],
                              "after": [round(x, 1) for x in os.getloadavg()]}
    result["wall_s"] = round(time.perf_counter() - lag_task_started, 1)
    lag_task.cancel()
    supervisor.cancel()
    result["restarts"] = [f"{what} (exit {code})" for what, code in stack.restarts]
    result["client_loop_lag"] = {"max_s": round(lag.max_s, 2), "at_s": lag.max_at,
                                 "over_1s": lag.over_1s}
    result["web_alive"] = stack.web_alive()
    stop_sockets.set()
    await asyncio.wait_for(asyncio.gather(*socket_tasks, return_exceptions=True), 30)
    await asyncio.sleep(2)  # the servers see the closes
    rss_phases["sockets closed"] = stack.web_rss_mb()
    result["rss_phases_mb"] = rss_phases

    # Figures --------------------------------------------------------------------------------
    sent = {}
    unknown = [nonce for nonce, post_id in accepted.items() if post_id is None]
    for nonce, post_id in accepted.items():
        if post_id is not None:
            sent[post_id] = posting.sent[nonce]
    answered = {post_id: posting.sent[nonce] + posting.answers[nonce][1]
                for nonce, post_id in accepted.items()
                if post_id is not None and nonce in posting.answers}
    report = delivery_report(members, sent, list(sent), answered)
    for name, group in (("foreground tabs (send read)", members[:visible]),
                        ("background tabs", members[visible:])):
        if group:
            part = delivery_report(group, sent, list(sent), answered)
            part.pop("per_post")
            result.setdefault("fanout_by_tab", {})[name] = part
    nonce_of = {post_id: nonce for nonce, post_id in accepted.items()}
    for entry in report["per_post"]:
        nonce = nonce_of[entry["id"]]
        status, seconds = posting.answers.get(nonce, (None, None))
        entry.update(sent_at_s=round(posting.sent[nonce] - timeline.started, 1),
                     status=status, answer_s=round(seconds, 2) if seconds else None)
    report["accepted_never_seen"] = len(unknown)
    report["lost"] += len(unknown) * len(members)
    report["expected"] += len(unknown) * len(members)
    unacknowledged = [nonce for nonce in nonce_ids if nonce not in posting.accepted
                      and nonce.startswith(f"carga-{run_id}-")]
    result["fanout"] = {
        **report,
        "posts_sent": len(posting.sent),
        "posts_accepted": len(accepted),
        "posts_refused": {str(k): v for k, v in posting.refused.items()},
        "refused_but_delivered": len(unacknowledged),
        "drain_s": drain_s,
    }
    close_codes = Counter()
    errors = Counter()
    for member in members:
        close_codes.update(member.close_codes)
        errors.update(member.errors)
    result["sockets"] = {
        "members": len(members),
        "joined": len(joined),
        "open_at_end": open_at_end,
        "reconnects": sum(m.reconnects for m in members),
        "members_reconnected": sum(1 for m in members if m.reconnects),
        "failed_attempts": sum(m.failed_attempts for m in members),
        "gave_up": sum(1 for m in members if m.gave_up),
        "close_codes": {str(k): v for k, v in close_codes.most_common()},
        "errors": dict(errors.most_common()),
        "visible": visible,
    }
    result["pages"] = stats.rows()
    result["requests_over_time"] = stats.over_time()
    result["run_started_s"] = round(timeline.run_started - timeline.started, 1)
    return result


async def interruptible(coroutine, bound):
    """Run ``coroutine`` for at most ``bound`` seconds; Ctrl-C or SIGTERM cancels it and
    raises KeyboardInterrupt once it has unwound (the stack is stopped by the caller)."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(asyncio.wait_for(coroutine, bound))
    signals = []

    def on_signal(number):
        signals.append(number)
        task.cancel()

    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, on_signal, number)
    try:
        return await task
    except asyncio.CancelledError:
        if signals:
            raise KeyboardInterrupt from None
        raise
    finally:
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(number)


def recovery(answers, events):
    """For each outage: when the service came back, the last 503 and the first 2xx/3xx
    answer after that (seconds on the timeline's clock, and after the restart)."""
    marks = {"Redis": "Redis: started again", "PostgreSQL": "PostgreSQL: started again"}
    starts = {"Redis": "Redis: stop", "PostgreSQL": "PostgreSQL: stop"}
    out = {}
    for name, mark in marks.items():
        back = next((at for at, what in events if what.startswith(mark)), None)
        down = next((at for at, what in events if what.startswith(starts[name])), None)
        if back is None:
            continue
        until = next((at for at, what in events if at > back and what.startswith(
            ("Redis: stop", "PostgreSQL: stop", "run: load stops"))), None)
        window = [(at, status) for at, status in answers
                  if at > back and (until is None or at <= until)]
        first_ok = next((at for at, status in window if status and 200 <= status < 400), None)
        last_503 = max((at for at, status in window if status == 503), default=None)
        out[name] = {
            "down_at_s": down, "back_at_s": back, "window_end_s": until,
            "first_ok_after_s": round(first_ok - back, 1) if first_ok is not None else None,
            "last_503_after_s": round(last_503 - back, 1) if last_503 is not None else None,
            "answers_503_after": sum(1 for _at, status in window if status == 503),
            "answers_after": len(window),
        }
    return out


async def probe_until_served(browser, stop_after, timeline):
    """After the load: GET / every 3 s (less often than a busy site is visited) until it is
    not a 503; return seconds on the timeline's clock, or None."""
    deadline = time.perf_counter() + stop_after
    while time.perf_counter() < deadline:
        try:
            response = await browser.get("/")
        except (OSError, TimeoutError, ValueError, IndexError, asyncio.IncompleteReadError):
            response = None
        if response is not None and response.status < 500:
            return round(time.perf_counter() - timeline.started, 1)
        await asyncio.sleep(3.0)
    return None


def _pg_now(sampler):
    try:
        return sampler.count()
    except Exception as error:  # noqa: BLE001 - reported as it is
        return repr(error)


# --- output ---------------------------------------------------------------------------------


def recovery_text(recovery):
    parts = []
    for name in ("Redis", "PostgreSQL"):
        item = recovery.get(name)
        if not item:
            continue
        first = (f"first 2xx/3xx {item['first_ok_after_s']} s after it was back"
                 if item["first_ok_after_s"] is not None else "no 2xx/3xx after it was back")
        last = (f", last 503 {item['last_503_after_s']} s after "
                f"({item['answers_503_after']}/{item['answers_after']} answers 503)"
                if item["last_503_after_s"] is not None else ", no 503 after")
        parts.append(f"{name} {first}{last}")
    after = recovery.get("after the load", {})
    if after:
        parts.append("GET / every 3 s after the load: " + (
            f"served {after['after_s']} s after the load stopped" if after.get("after_s")
            is not None else "still 503 at the end of the drain"))
    return "; ".join(parts) or "no outage"


def render(result, args):
    columns = [("page", "page", "{}"), ("requests", "requests", "{}"),
               ("p50_ms", "p50 ms", "{}"), ("p95_ms", "p95 ms", "{}"), ("max_ms", "max ms", "{}"),
               ("5xx", "5xx (not 503)", "{}"), ("503", "503", "{}"),
               ("other_errors", "other errors", "{}")]
    rows = [[fmt.format(row[key] if row[key] is not None else "-") for key, _h, fmt in columns]
            for row in result["pages"]]
    header = [h for _k, h, _f in columns]
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    s, f, p = result["sockets"], result["fanout"], result["presence"]
    settle = (f"{p['settle_s']:.2f} s after the last join ({result['joins']['joined']} joins in "
              f"{result['joins']['seconds']:.1f} s)" if p["settled"] else
              f"NOT settled within {p['timeout_s']:g} s (counts seen "
              f"{p['spread_at_end_of_wait']['min']}..{p['spread_at_end_of_wait']['max']}, "
              f"target {p['target']})")
    rss = ", ".join(f":{port} {mb:.0f} MB" for port, mb in result["rss_mb"].items())
    rss += " (" + "; ".join(
        f"{phase} " + " / ".join(f"{mb:.0f}" for mb in per_port.values())
        for phase, per_port in result["rss_phases_mb"].items() if phase != "end") + ")"
    summary = [
        ("sockets", f"{s['joined']}/{s['members']} joined, {s['open_at_end']} connected at the "
                    f"end, {s['reconnects']} reconnects ({s['members_reconnected']} members), "
                    f"{s['failed_attempts']} failed attempts, {s['gave_up']} gave up"),
        ("fan-out", f"{f['posts_accepted']}/{f['posts_sent']} posts accepted → "
                    f"{f['expected']} deliveries: live p50 {f['live_p50_ms']} ms, "
                    f"p99 {f['live_p99_ms']} ms (after the POST's answer: p50 "
                    f"{f['after_answer_p50_ms']} ms, p99 {f['after_answer_p99_ms']} ms); "
                    f"{f['via_resume']} via resume (all p99 {f['all_p99_ms']} ms)"),
        ("lost / duplicated", f"{f['lost']} lost, {f['duplicates']} duplicated "
                              f"({s['errors'].get('duplicate live', 0)} live, "
                              f"{s['errors'].get('duplicate replayed', 0)} replayed; "
                              f"{f['posts_with_losses']} posts with losses)"),
        ("presence settle", settle),
        ("recovery", recovery_text(result["recovery"])),
        ("PostgreSQL connections", f"{result['pg_connections_end']} at the end, peak "
                                   f"{result['pg_peak']} (max_connections 100)"),
        ("RSS per uvicorn", rss),
        ("restarts", ", ".join(result["restarts"]) or "none (no process exited)"),
        ("CPU seconds", ", ".join(f"{name} {sec:g}" for name, sec in result["cpu_s"].items())
         + f" (over {result['wall_s']:g} s on {os.cpu_count()} cores; machine load average "
           f"{result['load_average']['before'][0]} before the joins, "
           f"{result['load_average']['after'][0]} at the end)"),
        ("load client loop lag", f"max {result['client_loop_lag']['max_s']} s at "
                                 f"{result['client_loop_lag']['at_s']} s, "
                                 f"{result['client_loop_lag']['over_1s']} wake-ups > 1 s late"),
    ]
    width = max(len(k) for k, _v in summary)
    lines.append("-+-".join("-" * w for w in widths))
    lines += [f"{k.ljust(width)} : {v}" for k, v in summary]
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    if args.seed is not None:
        random.seed(args.seed)
    # Cleanup runs on Ctrl-C and `kill` alike (SIGINT is reinstated: a job started in the
    # background by a non-interactive shell would otherwise ignore it).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    for old in LOG_DIR.glob("*.log"):
        old.unlink()
    started = time.perf_counter()
    timeline = Timeline()
    logged_in = round(args.logged_in * args.users)
    try:
        result = run_everything(args, timeline, logged_in)
    except (KeyboardInterrupt, SystemExit):
        print("\ninterrupted: every process the load test started has been stopped and its "
              "temporary directory removed", flush=True)
        return 130
    finish(args, result, timeline, started)
    return 0


def run_everything(args, timeline, logged_in):
    """Set the stack up, run the load, tear everything down; return the figures."""
    with Stack(LOG_DIR, web_processes=args.web_processes) as stack:
        timeline.mark(f"setup: PostgreSQL and Redis in {stack.tmp}")
        stack.init_postgres()
        stack.start_postgres()
        stack.create_database()
        stack.start_redis()
        timeline.mark(f"setup: PostgreSQL :{stack.pg_port}, Redis :{stack.redis_port}; migrate")
        stack.manage("migrate", "--no-input")
        timeline.mark("setup: load_demo")
        stack.manage("load_demo")
        timeline.mark(f"setup: {args.sockets + logged_in} members")
        setup = stack.django_json(BENCH_DIR / "members.py", "--members",
                                  str(args.sockets + logged_in), "--prefix", "carga")
        stack.manage("collectstatic", "--no-input")
        ports = stack.start_web()
        stack.start_worker()
        timeline.mark(f"setup: {len(ports)} uvicorn processes on ports {ports}, db_worker")
        sampler = PgSampler(stack.pg_port, timeline.started)
        sampler.start()
        try:
            bound = 60 + args.settle_timeout + args.duration + 60 + args.grace + 120
            result = asyncio.run(interruptible(
                load(args, stack, ports, setup, timeline, sampler), bound))
        finally:
            sampler.stopping.set()
            sampler.join(5)
        result["pg_peak"] = sampler.peak
        result["pg_samples"] = sampler.samples
        timeline.mark("teardown")
    return result


def finish(args, result, timeline, started):
    logs = [*sorted(LOG_DIR.glob("web-*.log")), LOG_DIR / "worker.log"]
    result["server_errors"] = serverlogs.summarize(logs, top=20)
    result["postgres_too_many_clients"] = serverlogs.count_in(
        LOG_DIR / "postgres.log", "too many clients")
    result["timeline"] = timeline.events
    table = render(result, args)
    print("\nLoad test: production setup (PostgreSQL, Redis, "
          f"{args.web_processes} uvicorn processes), {args.users} visitors, "
          f"{args.sockets} sockets, {args.duration:g} s"
          + ("" if args.no_outage else ", Redis restart + PostgreSQL outage") + "\n")
    print(table)
    errors = result["server_errors"]
    if errors["exceptions"] or errors["django_5xx"]:
        print("\nFrom the server logs (benchmarks/results/loadtest/web-*.log, worker.log):")
        for line, count in errors["django_5xx"]:
            print(f"  {count:5d} × {line}")
        for line, count in errors["exceptions"][:10]:
            print(f"  {count:5d} × {line}")
    if errors.get("messages"):
        print("\nThe servers' own warnings (numbers as N):")
        for line, count in errors["messages"][:14]:
            print(f"  {count:5d} × {line}")
    if result.get("fanout_by_tab"):
        print()
    for name, part in result.get("fanout_by_tab", {}).items():
        print(f"Fan-out, {name}: live p50 {part['live_p50_ms']} ms, p99 {part['live_p99_ms']} ms,"
              f" via resume {part['via_resume']}, lost {part['lost']} of {part['expected']}")
    print("\nRequests over time (all pages and posts, by the moment the answer ended; the "
          "timeline's clock):")
    for row in result["requests_over_time"]:
        print(f"  [{row['from_s']:6.1f} s] {row['requests']:4d} requests, 503: {row['503']:3d}, "
              f"other 5xx: {row['5xx']:3d}, errors: {row['errors']:3d}, p50 {row['p50_ms']} ms, "
              f"max {row['max_ms']} ms")
    posts = result["fanout"]["per_post"]
    if posts:
        print("\nAccepted posts (sent at, on the timeline's clock; answer; deliveries):")
        for entry in posts:
            print(f"  [{entry['sent_at_s']:6.1f} s] #{entry['id']:<5} {entry['status']} in "
                  f"{entry['answer_s']} s -> live {entry['live']} (p50 "
                  f"{entry['live_p50_ms']} ms, max {entry['live_max_ms']} ms), via resume "
                  f"{entry['via_resume']}, lost {entry['lost']}, dupes {entry['duplicates']}")
    if result["postgres_too_many_clients"]:
        print(f"  PostgreSQL refused {result['postgres_too_many_clients']} connections: "
              "too many clients")
    data = {
        "name": "loadtest",
        "parameters": {k: v for k, v in vars(args).items()},
        "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_s": round(time.perf_counter() - started, 1),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "table": table,
        **result,
    }
    path = RESULTS_DIR / "loadtest.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"\n-> {path.relative_to(PROJECT_DIR)} (total {data['duration_s']:.0f} s)")


if __name__ == "__main__":
    sys.exit(main())
