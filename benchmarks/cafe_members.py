"""A Café member's debate socket, behaving like ``site/static/js/cafe.js``.

On every open it sends ``{"type": "resume", "last_id": N, "since": S, "have": [...]}``
(N: the newest post id it has every post up to, S: the change number from the last
``resume.done``, ``have``: the posts above N it holds, after a gap); it sends
``{"type": "ping"}`` every 30 s (which refreshes its presence); a "visible" member also
sends ``{"type": "read", "last_id": N}`` at most every 3 s while posts arrive, as a tab
in the foreground does; a live ``post.created`` whose ``prev`` is newer than N makes it
resume, as the browser does. When the socket closes with any code but 1000 or 4403 it
reconnects as ``Campus.liveSocket`` in ``site/static/js/campus.js`` does: after a
random delay below ``RETRY_BASE_S · 2^attempt`` (full jitter, at most RETRY_CAP_S; the
attempt counter goes back to 0 once a connection stayed up STABLE_S); on 1000/4403 the
browser gives up, and so does this client (counted as ``gave_up``). Unlike the browser it
does not pause after five refused handshakes in a row (the page of someone looking at
it tries again at once then).

Everything it sees is recorded for the measurement: per post id the arrival times
(duplicates included) and whether it came live or replayed by a resume, the last
presence count and when it changed, connects, reconnects and close codes.
"""

import asyncio
import contextlib
import json
import random
import time
from collections import Counter

from httpclient import require_loopback

PING_EVERY_S = 30.0
GIVE_UP_CODES = (1000, 4403)
# As Campus.liveSocket (site/static/js/campus.js): RETRY_BASE_MS, RETRY_CAP_MS, STABLE_MS.
RETRY_BASE_S, RETRY_CAP_S, STABLE_S = 0.5, 30.0, 10.0
READ_EVERY_S = 3.0


def presence_count(event):
    """The member count of a presence event, read defensively: ``count`` when it is a
    whole number, else the length of a ``readers``/``members`` list, else None."""
    count = event.get("count")
    if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
        return count
    for key in ("readers", "members", "present"):
        if isinstance(event.get(key), list):
            return len(event[key])
    return None


class Member:
    def __init__(self, index, host, port, debate, *, cookie, client_ip, last_id=0, since=0,
                 visible=False, ping_every=PING_EVERY_S, open_timeout=30.0, nonces=None,
                 behind_proxy=True):
        require_loopback(host)
        self.index = index
        self.url = f"ws://{host}:{port}/ws/cafe/debates/{debate}/"
        # Behind the TLS proxy (production) the page is https://host:port, so that is the
        # Origin, and the proxy adds X-Forwarded-Proto/-For; without it, plain http.
        self.origin = f"{'https' if behind_proxy else 'http'}://{host}:{port}"
        self.headers = {"Cookie": cookie}
        if behind_proxy:
            self.headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": client_ip})
        self.last_id = last_id
        self.since = since
        self.visible = visible
        self.ping_every = ping_every
        self.open_timeout = open_timeout
        # (pattern, dict): the first post id seen carrying each match of the pattern in its
        # body, for posts whose POST answer held no id (or no answer at all).
        self.nonces = nonces
        # What happened.
        self.arrivals = {}  # post id -> [(perf_counter, replay?), ...]
        self.presence = None  # last count seen
        self.presence_at = None  # when it changed to that count
        self.presence_events = 0
        self.connects = 0
        self.failed_attempts = 0
        self.close_codes = Counter()
        self.errors = Counter()
        self.hello_at = None  # first hello
        self.open = False
        self.resumed = False  # resume.done seen on the current connection
        self.gap_resumes = 0  # resumes asked for because a post.created's prev was missing
        self.read_sent_at = float("-inf")
        self.gave_up = False
        self._drop_at = None  # perf_counter: abort the TCP connection once (a lost network)
        self._ws = None
        self._seen = set()

    @property
    def reconnects(self):
        return max(self.connects - 1, 0)

    async def run(self, stop):
        """Connect, listen and reconnect until ``stop`` (an asyncio.Event) is set."""
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

        attempt = 0
        while not stop.is_set():
            code = None
            opened_at = None
            try:
                async with connect(self.url, origin=self.origin, additional_headers=self.headers,
                                   open_timeout=self.open_timeout, ping_interval=None,
                                   close_timeout=2, max_queue=None) as ws:
                    self._ws = ws
                    self.connects += 1
                    self.open, self.resumed = True, False
                    opened_at = time.perf_counter()
                    await ws.send(json.dumps(self.resume_frame()))
                    code = await self._listen(ws, stop)
            except InvalidStatus as error:
                self.failed_attempts += 1
                self.errors[f"handshake {error.response.status_code}"] += 1
            except (OSError, TimeoutError, InvalidHandshake) as error:
                self.failed_attempts += 1
                self.errors[type(error).__name__] += 1
            except ConnectionClosed as closed:
                code = closed.rcvd.code if closed.rcvd else 1006
            finally:
                self._ws = None
                self.open = False
            if code is not None:
                self.close_codes[code] += 1
            if stop.is_set():
                break
            if code in GIVE_UP_CODES:
                self.gave_up = True
                break
            if opened_at is not None and time.perf_counter() - opened_at >= STABLE_S:
                attempt = 0
            delay = random.random() * min(RETRY_CAP_S, RETRY_BASE_S * 2**attempt)
            attempt += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)

    @property
    def drop_at(self):
        return self._drop_at

    @drop_at.setter
    def drop_at(self, value):
        # Set while the socket listens (the measurement picks who drops after the joins):
        # an event wakes the one task waiting for it, instead of a timer per message.
        self._drop_at = value
        armed = self.__dict__.get("_drop_armed")
        if armed is not None:
            armed.set() if value is not None else armed.clear()

    async def _listen(self, ws, stop):
        """Return the close code, or None when we stopped.

        One task reads and handles frames back to back (the arrival time is taken as soon
        as a frame is handed over); pings and the planned network drop run beside it. The
        reader creates nothing per message, so 500 sockets in one client process measure
        the server, not this loop."""
        from websockets.exceptions import ConnectionClosed

        if "_drop_armed" not in self.__dict__:
            self._drop_armed = asyncio.Event()
            if self._drop_at is not None:
                self._drop_armed.set()

        async def read():
            try:
                while True:
                    await self._handle(ws, await ws.recv())
            except ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else 1006

        async def beat():
            await asyncio.sleep(random.uniform(0.5, 1.0) * self.ping_every)
            while True:
                await ws.send('{"type": "ping"}')
                await asyncio.sleep(self.ping_every)

        async def drop():
            while True:
                await self._drop_armed.wait()
                await asyncio.sleep(max(self._drop_at - time.perf_counter(), 0))
                if self._drop_at is not None and time.perf_counter() >= self._drop_at:
                    return

        reader = asyncio.ensure_future(read())
        beater = asyncio.ensure_future(beat())
        dropper = asyncio.ensure_future(drop())
        stopper = asyncio.ensure_future(stop.wait())
        tasks = (reader, beater, dropper, stopper)
        try:
            done, _pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            if reader in done:
                return reader.result()
            if dropper in done:
                self.drop_at = None
                ws.transport.abort()  # the network went away: no close frame
                self.errors["dropped by client"] += 1
                return 1006
            if beater in done:
                error = beater.exception()
                if isinstance(error, ConnectionClosed):
                    return error.rcvd.code if error.rcvd else 1006
                raise error
            return None  # stopped
        finally:
            for task in tasks:
                task.cancel()

    def resume_frame(self):
        """As cafe.js: everything after last_id but the posts after it already here."""
        have = sorted(post_id for post_id in self.arrivals
                      if isinstance(post_id, int) and post_id > self.last_id)
        return {"type": "resume", "last_id": self.last_id, "since": self.since,
                "have": have[-500:]}

    async def _handle(self, ws, message):
        now = time.perf_counter()
        try:
            event = json.loads(message)
        except ValueError:
            self.errors["bad json"] += 1
            return
        kind = event.get("type")
        if kind in ("post.created", "post.pending"):
            post_id = event.get("id")
            if post_id in self.arrivals:  # which path sent a copy again
                self.errors["duplicate " + ("replayed" if event.get("replay") else "live")] += 1
            self.arrivals.setdefault(post_id, []).append((now, bool(event.get("replay"))))
            if kind == "post.created" and isinstance(post_id, int):
                previous = event.get("prev")
                gap = (not event.get("replay") and isinstance(previous, int)
                       and previous > self.last_id)
                if gap:
                    # As cafe.js: the post before this one was lost live; fetch it, and
                    # keep last_id before the gap until resume.done (a drop in between
                    # must not skip the missing post on the next connection).
                    self.gap_resumes += 1
                    await ws.send(json.dumps(self.resume_frame()))
                else:
                    self.last_id = max(self.last_id, post_id)
            if self.nonces is not None and post_id not in self._seen:
                pattern, found = self.nonces
                match = pattern.search((event.get("post") or {}).get("body_html") or "")
                if match:
                    found.setdefault(match.group(0), post_id)
            if post_id not in self._seen:
                self._seen.add(post_id)
                if self.visible and now - self.read_sent_at >= READ_EVERY_S:
                    # As cafe.js: at most one read mark every few seconds.
                    self.read_sent_at = now
                    await ws.send(json.dumps({"type": "read", "last_id": self.last_id}))
        elif kind == "presence":
            count = presence_count(event)
            self.presence_events += 1
            if count != self.presence:
                self.presence, self.presence_at = count, now
        elif kind == "resume.done":
            self.resumed = True
            seq = event.get("seq")
            if isinstance(seq, int):
                self.since = max(self.since, seq)
            if isinstance(event.get("last_id"), int):
                self.last_id = max(self.last_id, event["last_id"])
        elif kind == "hello":
            if self.hello_at is None:
                self.hello_at = now
        elif kind == "error":
            self.errors[f"error frame {event.get('code')}"] += 1


def delivery_report(members, sent, accepted_ids, answered=None):
    """Lost, duplicated and latency figures for the posts in ``accepted_ids``.

    ``sent``: post id -> perf_counter when its POST was sent; ``answered`` (optional): when
    its answer arrived, for the live latency after the answer (the fan-out itself, without
    the time the POST waited in the server). A delivery is "live" when the post.created
    came from the channel layer (not a resume replay).
    """
    answered = answered or {}
    after_answer = []
    expected = set(accepted_ids)
    lost = duplicates = delivered = replayed = 0
    live_latencies, all_latencies = [], []
    per_post_lost = Counter()
    per_post = {post_id: {"id": post_id, "live": 0, "via_resume": 0, "lost": 0,
                          "duplicates": 0, "live_latencies": []} for post_id in expected}
    for member in members:
        for post_id in expected:
            got = member.arrivals.get(post_id)
            entry = per_post[post_id]
            if not got:
                lost += 1
                per_post_lost[post_id] += 1
                entry["lost"] += 1
                continue
            delivered += 1
            duplicates += len(got) - 1
            entry["duplicates"] += len(got) - 1
            when, replay = got[0]
            latency = when - sent[post_id]
            all_latencies.append(latency)
            if replay:
                replayed += 1
                entry["via_resume"] += 1
            else:
                entry["live"] += 1
                live_latencies.append(latency)
                entry["live_latencies"].append(latency)
                if post_id in answered:
                    after_answer.append(when - answered[post_id])
    for entry in per_post.values():
        latencies = entry.pop("live_latencies")
        entry["live_p50_ms"] = percentile_ms(latencies, 50)
        entry["live_max_ms"] = percentile_ms(latencies, 100)
    return {
        "posts": len(expected),
        "expected": len(expected) * len(members),
        "delivered": delivered,
        "lost": lost,
        "duplicates": duplicates,
        "via_resume": replayed,
        "live_p50_ms": percentile_ms(live_latencies, 50),
        "live_p99_ms": percentile_ms(live_latencies, 99),
        "after_answer_p50_ms": percentile_ms(after_answer, 50),
        "after_answer_p99_ms": percentile_ms(after_answer, 99),
        "all_p99_ms": percentile_ms(all_latencies, 99),
        "all_max_ms": percentile_ms(all_latencies, 100),
        "posts_with_losses": len(per_post_lost),
        "per_post": sorted(per_post.values(), key=lambda entry: entry["id"]),
    }


def percentile_ms(values, percent):
    """Nearest-rank percentile in milliseconds (None without values)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-percent * len(ordered) // 100)))
    return round(ordered[rank - 1] * 1000, 1)


def settle_state(members):
    """(target, settled?, time it settled): every open member has seen the count of
    distinct open members; the time is the latest presence change among them."""
    open_members = [member for member in members if member.open]
    target = len(open_members)
    settled = bool(open_members) and all(m.presence == target for m in open_members)
    at = max((m.presence_at or 0) for m in open_members) if settled else None
    return target, settled, at


def presence_spread(members):
    counts = [member.presence for member in members if member.open]
    known = [count for count in counts if count is not None]
    return {"min": min(known) if known else None, "max": max(known) if known else None,
            "none": counts.count(None)}
