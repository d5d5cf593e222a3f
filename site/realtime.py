"""One place that names channel-layer groups and sends events after commit.

The database is the source of truth: an event only says "row N changed", and is sent
once the transaction that wrote row N has committed, so a client that reacts by reading
never reads a row that is not there yet.
"""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

EVENT_HANDLER = "realtime.event"  # -> Consumer.realtime_event


def user_group(user_id):
    return f"user.{int(user_id)}"


def send_event_on_commit(group, event, *, skip_channel=None):
    """Broadcast ``event`` (``{"type": "noun.verb", "id": ..., ...}``) to ``group``
    when the current transaction commits (at once when none is open)."""
    if "type" not in event:
        raise ValueError("an event needs a type")
    message = {"type": EVENT_HANDLER, "event": event, "skip_channel": skip_channel}

    def send():
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group, message)

    transaction.on_commit(send, robust=True)
