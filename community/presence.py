"""Who is in a live room and who is typing, at O(1) cost per join, leave and ping.

A room is a Café debate (``room_id`` an int, its id: Redis keys and group as before) or
any other live room named by its channel-layer group (``room_id`` a str, e.g. a webinar's
room, ``webinars.events.room_group``); presence and typing are announced to that group.

Each open socket of a member is a *tab*; a room counts distinct members (two tabs of
one member count once). A tab stays alive through the client's ``ping`` (every 30 s) and
is forgotten ``PRESENCE_TTL_S`` after its last sign of life, so a crashed process or a
lost ``disconnect`` leaves no ghost reader for long.

With Redis (``settings.REDIS_URL``) a room's presence is a handful of Redis keys shared
by every server process, each change one Lua script (atomic, no read-modify-write of a
list of readers); without Redis the same structure lives in this process (the embedded
default runs a single process).

Broadcasts are coalesced: a change only marks its room "to announce", and at most one
``presence`` event per room leaves every ``PRESENCE_EVERY_S``, across processes (a short
Redis lock decides who sends), carrying the count and at most ``READERS_SHOWN`` names.
Guests (anonymous or unconfirmed readers) get the count, never the names. Typing is
batched per room and process: one ``typing`` event a second lists a few names, for
members only.

Presence is a hint: when Redis fails here the error is logged and the socket carries on
(its channel layer, on the same Redis, is what closes it with "try again").
"""

import asyncio
import json
import logging
import time
import weakref
from collections import OrderedDict
from typing import NamedTuple

from django.conf import settings

from allas_site.realtime import UNAVAILABLE, key_prefix, redis_client, send_event
from community.events import debate_group

logger = logging.getLogger(__name__)

PRESENCE_TTL_S = 90  # three missed pings
# Coalesced, yet a room that filled up shows its final count within two seconds of
# the last join (the last change waits at most this long, plus delivery).
PRESENCE_EVERY_S = 1.5
READERS_SHOWN = 20
TYPING_BATCH_S = 1.0
TYPISTS_SHOWN = 5
PRUNE_BATCH = 50  # stale tabs dropped per call: bounded work, amortised O(1)


def room_key(room_id):
    """What names a room's Redis keys: a debate's id as before, else its group name."""
    return room_id if isinstance(room_id, str) else str(int(room_id))


def room_group(room_id):
    """The group that hears a room's presence and typing."""
    return room_id if isinstance(room_id, str) else debate_group(room_id)


def now():
    """Wall-clock seconds: Redis scores must agree between processes (tests move it)."""
    return time.time()


class Claim(NamedTuple):
    """What ``claim`` decided: ``covered`` (someone announced this change already),
    ``wait`` (an announcement went out less than PRESENCE_EVERY_S ago; try again after
    ``wait`` seconds) or ``send`` (announce ``count`` and ``readers`` now)."""

    action: str
    wait: float = 0.0
    count: int = 0
    readers: tuple = ()


COVERED, WAIT, SEND = "covered", "wait", "send"


def reader_of(user):
    return {"id": user.pk, "name": user.public_name, "initials": user.initials}


# --- in-process store (embedded default) -----------------------------------------------


class Room:
    def __init__(self):
        self.tabs = OrderedDict()  # channel -> (user id, last seen), oldest sign of life first
        self.user_tabs = {}  # user id -> open tabs
        self.readers = {}  # user id -> reader, in order of arrival
        self.version = 0  # bumped when the set of members changes
        self.sent = -1  # version last announced
        self.quiet_until = 0.0  # no announcement before this (monotonic)


class MemoryPresence:
    """Presence of this process's sockets; the same contract as ``RedisPresence``."""

    def __init__(self):
        self.rooms = {}

    def _room(self, room_id):
        room = self.rooms.get(room_id)
        if room is None:
            room = self.rooms[room_id] = Room()
        return room

    def _drop(self, room, channel):
        user_id, _seen = room.tabs.pop(channel, (None, None))
        if user_id is None:
            return False
        room.user_tabs[user_id] -= 1
        if room.user_tabs[user_id] > 0:
            return False
        del room.user_tabs[user_id], room.readers[user_id]
        return True

    def _prune(self, room):
        changed = False
        cutoff = now() - PRESENCE_TTL_S
        for _ in range(PRUNE_BATCH):
            channel = next(iter(room.tabs), None)
            if channel is None or room.tabs[channel][1] > cutoff:
                break
            changed |= self._drop(room, channel)
        return changed

    def _finish(self, room_id, room, changed):
        if changed:
            room.version += 1
        if not room.tabs and room.sent >= room.version:
            self.rooms.pop(room_id, None)  # an empty room that has been announced
        return changed, room.version

    async def seen(self, room_id, channel, reader):
        room = self._room(room_id)
        changed = self._prune(room)
        user_id = reader["id"]
        if channel in room.tabs:
            room.tabs.move_to_end(channel)
        else:
            room.user_tabs[user_id] = room.user_tabs.get(user_id, 0) + 1
            if room.user_tabs[user_id] == 1:
                changed = True
            room.readers[user_id] = reader
        room.tabs[channel] = (user_id, now())
        return self._finish(room_id, room, changed)

    async def leave(self, room_id, channel):
        room = self._room(room_id)
        changed = self._prune(room)
        changed |= self._drop(room, channel)
        return self._finish(room_id, room, changed)

    async def snapshot(self, room_id):
        room = self._room(room_id)
        self._finish(room_id, room, self._prune(room))
        return len(room.readers), list(room.readers.values())[:READERS_SHOWN]

    async def claim(self, room_id, wanted):
        room = self._room(room_id)
        changed = self._prune(room)
        if changed:
            room.version += 1
        if room.sent >= wanted and not changed:
            return Claim(COVERED)
        wait = room.quiet_until - time.monotonic()
        if wait > 0:
            return Claim(WAIT, wait=wait)
        room.quiet_until = time.monotonic() + PRESENCE_EVERY_S
        room.sent = room.version
        count, readers = len(room.readers), tuple(list(room.readers.values())[:READERS_SHOWN])
        self._finish(room_id, room, False)
        return Claim(SEND, count=count, readers=readers)


# --- Redis store (one structure per room, shared by every process) ---------------------

# KEYS: tabs (zset channel -> last seen), tab-user (hash channel -> user id), user-tabs
# (hash user id -> open tabs), users (zset user id -> arrival), names (hash user id ->
# reader JSON), state (hash: version, sent), lock (announcement lock, PX).
_PRELUDE = """
local tabs, tab_user, user_tabs, users, names, state, lock =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local changed = false

local function drop(channel)
  local user = redis.call('HGET', tab_user, channel)
  redis.call('ZREM', tabs, channel)
  if not user then return end
  redis.call('HDEL', tab_user, channel)
  if redis.call('HINCRBY', user_tabs, user, -1) <= 0 then
    redis.call('HDEL', user_tabs, user)
    redis.call('ZREM', users, user)
    redis.call('HDEL', names, user)
    changed = true
  end
end

local function prune(cutoff, batch)
  local stale = redis.call('ZRANGEBYSCORE', tabs, '-inf', cutoff, 'LIMIT', 0, batch)
  for _, channel in ipairs(stale) do drop(channel) end
end

local function finish(ttl)
  if changed then redis.call('HINCRBY', state, 'version', 1) end
  for i = 1, 6 do redis.call('EXPIRE', KEYS[i], ttl) end
  return tonumber(redis.call('HGET', state, 'version') or '0')
end

local function shown(limit, result)
  local ids = redis.call('ZRANGE', users, 0, limit - 1)
  if #ids > 0 then
    for _, reader in ipairs(redis.call('HMGET', names, unpack(ids))) do
      if reader then table.insert(result, reader) end
    end
  end
  return result
end
"""

# ARGV: channel, user id, reader JSON, now, cutoff, batch, ttl -> {changed, version}
_SEEN = _PRELUDE + """
prune(ARGV[5], ARGV[6])
if redis.call('ZADD', tabs, ARGV[4], ARGV[1]) == 1 then
  redis.call('HSET', tab_user, ARGV[1], ARGV[2])
  if redis.call('HINCRBY', user_tabs, ARGV[2], 1) == 1 then
    redis.call('ZADD', users, ARGV[4], ARGV[2])
    changed = true
  end
  redis.call('HSET', names, ARGV[2], ARGV[3])
end
local version = finish(ARGV[7])
return {changed and 1 or 0, version}
"""

# ARGV: channel, cutoff, batch, ttl -> {changed, version}
_LEAVE = _PRELUDE + """
prune(ARGV[2], ARGV[3])
drop(ARGV[1])
local version = finish(ARGV[4])
return {changed and 1 or 0, version}
"""

# ARGV: cutoff, batch, ttl, limit -> {count, reader JSON...}
_SNAPSHOT = _PRELUDE + """
prune(ARGV[1], ARGV[2])
finish(ARGV[3])
return shown(tonumber(ARGV[4]), {redis.call('ZCARD', users)})
"""

# ARGV: wanted version, interval ms, cutoff, batch, ttl, limit
#   -> {0} covered, {1, ms} wait, {2, count, reader JSON...} send now
_CLAIM = _PRELUDE + """
prune(ARGV[3], ARGV[4])
local version = finish(ARGV[5])
local sent = tonumber(redis.call('HGET', state, 'sent') or '-1')
if sent >= tonumber(ARGV[1]) and not changed then return {0} end
local wait = redis.call('PTTL', lock)
if wait > 0 then return {1, wait} end
redis.call('SET', lock, '1', 'PX', ARGV[2])
redis.call('HSET', state, 'sent', version)
return shown(tonumber(ARGV[6]), {2, redis.call('ZCARD', users)})
"""


class RedisPresence:
    """Presence shared by every process through Redis, with the process's client
    (``realtime.redis_client``): it reconnects after a restart, and a script Redis has
    forgotten is loaded again, so nothing here needs a restart either."""

    def __init__(self, url, prefix):
        self.url = url
        self.prefix = prefix
        self._scripts_by_client = weakref.WeakKeyDictionary()

    def _scripts(self):
        client = redis_client()
        scripts = self._scripts_by_client.get(client)
        if scripts is None:
            scripts = self._scripts_by_client[client] = {
                name: client.register_script(source)
                for name, source in (("seen", _SEEN), ("leave", _LEAVE),
                                     ("snapshot", _SNAPSHOT), ("claim", _CLAIM))
            }
        return scripts

    def client(self):
        return redis_client()

    def keys(self, room_id):
        base = f"{self.prefix}:presence:{room_key(room_id)}"
        return [f"{base}:{part}" for part in
                ("tabs", "tab-user", "user-tabs", "users", "names", "state", "lock")]

    @staticmethod
    def _window():
        return now() - PRESENCE_TTL_S, PRUNE_BATCH, PRESENCE_TTL_S * 2

    async def seen(self, room_id, channel, reader):
        cutoff, batch, ttl = self._window()
        changed, version = await self._scripts()["seen"](
            keys=self.keys(room_id),
            args=[channel, reader["id"], json.dumps(reader), now(), cutoff, batch, ttl],
        )
        return bool(changed), int(version)

    async def leave(self, room_id, channel):
        cutoff, batch, ttl = self._window()
        changed, version = await self._scripts()["leave"](
            keys=self.keys(room_id), args=[channel, cutoff, batch, ttl]
        )
        return bool(changed), int(version)

    async def snapshot(self, room_id):
        cutoff, batch, ttl = self._window()
        count, *readers = await self._scripts()["snapshot"](
            keys=self.keys(room_id), args=[cutoff, batch, ttl, READERS_SHOWN]
        )
        return int(count), [json.loads(reader) for reader in readers]

    async def claim(self, room_id, wanted):
        cutoff, batch, ttl = self._window()
        result = await self._scripts()["claim"](
            keys=self.keys(room_id),
            args=[wanted, int(PRESENCE_EVERY_S * 1000), cutoff, batch, ttl, READERS_SHOWN],
        )
        if result[0] == 0:
            return Claim(COVERED)
        if result[0] == 1:
            return Claim(WAIT, wait=int(result[1]) / 1000)
        return Claim(SEND, count=int(result[1]),
                     readers=tuple(json.loads(reader) for reader in result[2:]))


_memory_store = MemoryPresence()
_redis_stores = {}


def store():
    if not settings.REDIS_URL:
        return _memory_store
    key = (settings.REDIS_URL, key_prefix())
    if key not in _redis_stores:
        _redis_stores[key] = RedisPresence(*key)
    return _redis_stores[key]


# --- coalesced announcements, per process and event loop ------------------------------


class Announcer:
    """Rooms with presence changes this process has made and not yet seen announced."""

    def __init__(self):
        self.wanted = {}  # room -> version to announce
        self.tasks = {}

    def changed(self, room_id, version):
        self.wanted[room_id] = max(version, self.wanted.get(room_id, -1))
        if room_id not in self.tasks:
            self.tasks[room_id] = asyncio.get_running_loop().create_task(
                self.announce(room_id)
            )

    async def announce(self, room_id):
        try:
            while room_id in self.wanted:
                wanted = self.wanted[room_id]
                claim = await store().claim(room_id, wanted)
                if claim.action == WAIT:
                    await asyncio.sleep(claim.wait)
                    continue
                if self.wanted.get(room_id) == wanted:
                    del self.wanted[room_id]
                if claim.action == SEND:
                    await send_presence(room_id, claim.count, claim.readers)
        except UNAVAILABLE as error:
            logger.warning("presence of room %s not announced: %r", room_id, error)
            self.wanted.pop(room_id, None)
        finally:
            self.tasks.pop(room_id, None)


def presence_events(count, readers):
    """(members' event, guests' event): names for members only."""
    readers = sorted(readers, key=lambda reader: reader["name"].lower())
    return (
        {"type": "presence", "count": count, "readers": readers},
        {"type": "presence", "count": count, "readers": []},
    )


async def send_presence(room_id, count, readers):
    members, guests = presence_events(count, readers)
    await send_event(room_group(room_id), members, guest_event=guests)


class TypingBatcher:
    """At most one ``typing`` event per room and TYPING_BATCH_S from this process,
    naming a few of the members who typed since the last one."""

    def __init__(self):
        self.typists = {}  # room -> {user id: name}
        self.tasks = {}
        self.last_sent = {}  # room -> monotonic time

    def add(self, room_id, user_id, name):
        self.typists.setdefault(room_id, {})[user_id] = name
        if room_id not in self.tasks:
            self.tasks[room_id] = asyncio.get_running_loop().create_task(
                self.flush(room_id)
            )

    async def flush(self, room_id):
        try:
            delay = self.last_sent.get(room_id, 0.0) + TYPING_BATCH_S - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            typists = self.typists.pop(room_id, {})
            self.last_sent[room_id] = time.monotonic()
            if len(self.last_sent) > 1000:  # forget rooms quiet for a while
                horizon = time.monotonic() - TYPING_BATCH_S
                self.last_sent = {k: t for k, t in self.last_sent.items() if t > horizon}
            del self.tasks[room_id]  # typing from here on starts the next batch
            event = {
                "type": "typing",
                "count": len(typists),
                "typists": [{"id": pk, "name": name}
                            for pk, name in list(typists.items())[:TYPISTS_SHOWN]],
            }
            await send_event(room_group(room_id), event, guest_event=None)
        except UNAVAILABLE as error:
            logger.info("typing in room %s not announced: %r", room_id, error)
        finally:
            if self.tasks.get(room_id) is asyncio.current_task():
                del self.tasks[room_id]


class _LoopState:
    def __init__(self):
        self.announcer = Announcer()
        self.typing = TypingBatcher()


_loops = weakref.WeakKeyDictionary()


def _here():
    """Tasks and their bookkeeping belong to one event loop (tests run one per test)."""
    loop = asyncio.get_running_loop()
    state = _loops.get(loop)
    if state is None:
        state = _loops[loop] = _LoopState()
    return state


# --- what consumers call -------------------------------------------------------------


async def arrive(room_id, channel, user):
    """A member's socket joined the room (or pinged: the same, idempotent)."""
    try:
        changed, version = await store().seen(room_id, channel, reader_of(user))
    except UNAVAILABLE as error:
        logger.info("presence of room %s not updated: %r", room_id, error)
        return
    if changed:
        _here().announcer.changed(room_id, version)


heartbeat = arrive


async def depart(room_id, channel):
    try:
        changed, version = await store().leave(room_id, channel)
    except UNAVAILABLE as error:
        logger.info("presence of room %s not updated: %r", room_id, error)
        return
    if changed:
        _here().announcer.changed(room_id, version)


async def current(room_id, *, with_names):
    """The presence event for one socket that just joined (it missed the last one)."""
    try:
        count, readers = await store().snapshot(room_id)
    except UNAVAILABLE as error:
        logger.info("presence of room %s not read: %r", room_id, error)
        return None
    members, guests = presence_events(count, readers)
    return members if with_names else guests


def typing(room_id, user):
    _here().typing.add(room_id, user.pk, user.public_name)
