"""One place that names channel-layer groups and sends events after commit.

The database is the source of truth: an event only says "row N changed", and is sent
once the transaction that wrote row N has committed, so a client that reacts by reading
never reads a row that is not there yet.

An event is encoded to JSON once, here, and travels as text: a consumer forwards the
text to its socket as it is, however many sockets the group has. Where members and
guests (anonymous or unconfirmed readers) must see different things (presence, typing),
the message carries a second text for guests, or ``None`` when guests get nothing.
"""

import json

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import InterfaceError, OperationalError, transaction

try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # pragma: no cover - redis comes with channels-redis
    RedisConnectionError = RedisTimeoutError = OSError

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


def send_event_on_commit(group, event, *, skip_channel=None):
    """Broadcast ``event`` to ``group`` when the current transaction commits (at once
    when none is open)."""
    message = event_message(event, skip_channel=skip_channel)

    def send():
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group, message)

    transaction.on_commit(send, robust=True)


async def send_event(group, event, *, skip_channel=None, guest_event=_SAME_FOR_GUESTS):
    """Broadcast an ephemeral event (presence, typing) from async code; nothing to commit."""
    layer = get_channel_layer()
    if layer is not None:
        await layer.group_send(
            group, event_message(event, skip_channel=skip_channel, guest_event=guest_event)
        )
