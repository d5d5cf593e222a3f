"""One place that names channel-layer groups and sends events after commit.

The database is the source of truth: an event only says "row N changed", and is sent
once the transaction that wrote row N has committed, so a client that reacts by reading
never reads a row that is not there yet.

An event is encoded to JSON once, here, and travels as text: a consumer forwards the
text to its socket as it is, however many sockets the group has. Where members and
guests (anonymous or unconfirmed readers) must see different things (presence, typing),
the message carries a second text for guests, or ``None`` when guests get nothing.

With Redis, a restart without persistence forgets every group membership: sockets that
stay open would silently hear nothing more. ``layer_epoch`` tells a socket that this
happened (on the client's ping), so it closes with 4503 and the client joins again and
catches up from its last id.
"""

import asyncio
import json
import logging
import uuid
import weakref

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction

try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # pragma: no cover - redis comes with channels-redis
    RedisConnectionError = RedisTimeoutError = OSError

logger = logging.getLogger(__name__)

EVENT_HANDLER = "realtime.event"  # -> Consumer.realtime_event
_SAME_FOR_GUESTS = object()

# What an outage of Redis (channel layer, presence) or of the database looks like to
# async code: sockets close with "try again" instead of crashing on these.
UNAVAILABLE = (
    OSError,  # includes ConnectionError and TimeoutError (asyncio's too)
    RedisConnectionError,
    RedisTimeoutError,
    OperationalError,
    InterfaceError,
)


def user_group(user_id):
    return f"user.{int(user_id)}"


def encode(event):
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))


def event_message(event, *, skip_channel=None, guest_event=_SAME_FOR_GUESTS):
    """The channel-layer message for ``event`` (``{"type": "noun.verb", "id": ..., ...}``).
    ``kind`` and ``id`` are copied out so a consumer can decide without decoding."""
    if "type" not in event:
        raise ValueError("an event needs a type")
    message = {
        "type": EVENT_HANDLER,
        "kind": event["type"],
        "id": event.get("id"),
        "text": encode(event),
        "skip_channel": skip_channel,
    }
    if guest_event is not _SAME_FOR_GUESTS:
        message["guest_text"] = None if guest_event is None else encode(guest_event)
    return message


def send_event_on_commit(group, event, *, skip_channel=None, guest_event=_SAME_FOR_GUESTS,
                         **extra):
    """Broadcast ``event`` to ``group`` when the current transaction commits (at once
    when none is open). ``guest_event`` as in ``event_message``; ``extra`` keys travel
    in the message beside the text, for consumers to decide without decoding."""
    message = {**extra, **event_message(event, skip_channel=skip_channel,
                                        guest_event=guest_event)}

    def send():
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(group, message)
        except (*UNAVAILABLE, RuntimeError) as error:
            # A pooled Redis connection can die between two posts ("handler is closed"):
            # the event would reach no one. One more try takes a fresh connection; if
            # Redis is really down, clients catch up from the database when it is back.
            logger.warning("Resending %s to %s after %r", event.get("type"), group, error)
            async_to_sync(layer.group_send)(group, message)

    on_commit_first(send)


def on_commit_first(func, robust=True):
    """``transaction.on_commit``, but ahead of the ordinary callbacks of the transaction
    (search indexing, task enqueues), after earlier ones registered here, in order. The
    search index of a post is written when its transaction commits, and a reply's
    broadcast waited for it (a third of the request on a busy machine): readers should
    not. Outside a transaction ``func`` runs at once, as with ``on_commit``."""
    func._ahead = True
    connection = transaction.get_connection()
    transaction.on_commit(func, robust=robust)
    pending = connection.run_on_commit if connection.in_atomic_block else None
    if pending and pending[-1][1] is func:
        entry = pending.pop()
        # Only past callbacks of the same (or an inner) atomic block: never ahead of
        # what an enclosing block registered before this one began.
        at = len(pending)
        while at and not getattr(pending[at - 1][1], "_ahead", False) and (
            entry[0] <= pending[at - 1][0]
        ):
            at -= 1
        pending.insert(at, entry)


async def send_event(group, event, *, skip_channel=None, guest_event=_SAME_FOR_GUESTS):
    """Broadcast an ephemeral event (presence, typing) from async code; nothing to commit."""
    layer = get_channel_layer()
    if layer is not None:
        await layer.group_send(
            group, event_message(event, skip_channel=skip_channel, guest_event=guest_event)
        )


# --- Redis for async code (presence, the layer's epoch) --------------------------------

REDIS_CONNECTIONS = 20  # per process and event loop
_redis_clients = weakref.WeakKeyDictionary()  # event loop -> (url, client)


def redis_client():
    """The asyncio Redis client of this process and event loop (tests run one loop per
    test), created on first use from ``settings.REDIS_URL``; ``None`` without Redis.
    A burst of callers waits for one of a bounded number of connections, and a connection
    Redis dropped (a restart) is replaced and the command retried."""
    if not settings.REDIS_URL:
        return None
    from redis.asyncio import BlockingConnectionPool, Redis
    from redis.asyncio.retry import Retry
    from redis.backoff import ExponentialWithJitterBackoff

    loop = asyncio.get_running_loop()
    entry = _redis_clients.get(loop)
    if entry is None or entry[0] != settings.REDIS_URL:
        pool = BlockingConnectionPool.from_url(
            settings.REDIS_URL, max_connections=REDIS_CONNECTIONS, timeout=5,
            decode_responses=True, socket_connect_timeout=2, socket_timeout=2,
            health_check_interval=30,
            retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=1), 3),
        )
        entry = _redis_clients[loop] = (settings.REDIS_URL, Redis(connection_pool=pool))
    return entry[1]


def key_prefix():
    """The channel layer's prefix, so test runs and deployments sharing a Redis stay apart."""
    config = settings.CHANNEL_LAYERS.get("default", {}).get("CONFIG", {})
    return config.get("prefix", "asgi")


async def layer_epoch():
    """A token that stays the same as long as Redis keeps its data; "" without Redis."""
    client = redis_client()
    if client is None:
        return ""
    key = f"{key_prefix()}:epoch"
    async with client.pipeline(transaction=False) as pipe:
        pipe.set(key, uuid.uuid4().hex, nx=True)  # the first to ask after a restart
        pipe.get(key)
        _created, epoch = await pipe.execute()
    return epoch
