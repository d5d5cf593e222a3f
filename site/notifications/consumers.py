"""The personal notifications socket at /ws/notificaciones/.

Client → server: ``{"type": "resume", "last_id": N}`` (replay everything after N from
the database), ``{"type": "mark_read", "ids": [...]}``, ``{"type": "ping"}`` (every 30 s).
Server → client: ``hello``, ``notification.created``, ``notification.read``, ``pong``,
``error`` (the connection stays open after an error frame).

When Redis or the database is unavailable the socket closes with 4503 ("try again"):
the client reconnects with backoff and resumes from the last id it saw.
"""

import json
import logging
from contextlib import suppress

from channels.consumer import get_handler_name
from channels.db import aclose_old_connections, database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from allas_site.core.params import parse_count
from allas_site.notifications import services
from allas_site.notifications.models import Notification
from allas_site.realtime import UNAVAILABLE, layer_epoch, user_group

try:
    from uvicorn.protocols.utils import ClientDisconnected as CLIENT_GONE
except ImportError:  # pragma: no cover - another ASGI server
    CLIENT_GONE = ()

logger = logging.getLogger(__name__)

RESUME_LIMIT = 200
TRY_AGAIN = 4503  # an application close code: "unavailable for now, reconnect later"
REFUSED = 4403  # access lost while connected: do not reconnect


MAX_FRAME_CHARS = 4096


class RealtimeConsumer(AsyncJsonWebsocketConsumer):
    """Base for the platform's sockets: error frames instead of crashes, a 4503 close
    instead of a crash when Redis or the database is down, and the ``realtime.event``
    handler that forwards events sent by ``send_event_on_commit`` as encoded text."""

    groups_joined: list
    accepted = False
    closed = False
    epoch = None  # the channel layer's Redis epoch when the first group was joined
    sees_names = False  # members see who is reading and typing; guests only counts

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        except UNAVAILABLE as error:
            # The channel layer's receive lost Redis while the socket was open.
            if not hasattr(self, "base_send"):
                raise
            await self.close_for_retry(error)
            # No websocket.disconnect will be handled now: clean up as it would.
            with suppress(*UNAVAILABLE):
                await self.disconnect(TRY_AGAIN)
                await aclose_old_connections()

    async def dispatch(self, message):
        # Channels' own dispatch first sends close_old_connections() to the process's one
        # database thread, for every message. Every database call of these consumers is a
        # database_sync_to_async, which does that itself around the call, so that hop
        # only queued: a room filling up waited behind two of them per joining socket.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        try:
            await handler(message)
        except UNAVAILABLE as error:
            if message["type"] == "websocket.disconnect":
                raise StopConsumer from error
            if isinstance(error, CLIENT_GONE):
                self.closed = True  # the browser left mid-send; websocket.disconnect follows
                return
            await self.close_for_retry(error)

    @staticmethod
    def event_kind(message):
        if "kind" in message:
            return message["kind"]
        return message.get("event", {}).get("type")  # sent as a dict by older code

    async def accept(self, subprotocol=None, headers=None):
        await super().accept(subprotocol, headers)
        self.accepted = True

    async def close(self, code=None, reason=None):
        if self.closed:
            return
        self.closed = True
        await super().close(code, reason)

    async def close_for_retry(self, error):
        """Tell the client to come back later. Accepted first, so the browser sees the
        close code: a handshake refused before accept looks like a permanent refusal."""
        if self.closed:
            return
        logger.warning("%s: closing with %s: %r", type(self).__name__, TRY_AGAIN, error)
        try:
            if not self.accepted:
                await self.accept()
            await self.close(code=TRY_AGAIN)
        except CLIENT_GONE:
            self.closed = True  # nobody left to tell

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self.send_error("binary_unsupported", "Only JSON text frames are accepted.")
            return
        if len(text_data) > MAX_FRAME_CHARS:
            # Client frames are a few dozen characters; posts go over HTTP.
            await self.send_error("too_large", f"Frames hold at most {MAX_FRAME_CHARS} characters.")
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):  # RecursionError: "[[[[…" thousands deep
            await self.send_error("malformed_json", "The message is not valid JSON.")
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error("missing_type", "A message is an object with a 'type'.")
            return
        await self.receive_json(content)

    async def send_error(self, code, message):
        await self.send_json({"type": "error", "code": code, "message": message})

    async def realtime_event(self, message):
        if self.closed:
            return
        if message.get("skip_channel") and message["skip_channel"] == self.channel_name:
            return
        if "text" not in message:
            await self.send_json(message["event"])
            return
        text = message["text"]
        if "guest_text" in message and not self.sees_names:
            text = message["guest_text"]
        if text is not None:
            await self.send(text_data=text)

    async def join(self, group):
        if self.epoch is None:
            self.epoch = await layer_epoch()  # before joining: a restart after it shows
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined.append(group)

    async def keep_alive(self):
        """On the client's ping. When Redis restarted (memberships lost, events missed)
        close with 4503: the client joins again and catches up from its last id.
        Otherwise renew the memberships, which the channel layer expires after a day."""
        if self.epoch is not None and await layer_epoch() != self.epoch:
            await self.close_for_retry("Redis lost its data (restart): join again")
            return False
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        return True

    async def disconnect(self, code):
        await self.leave_quietly()

    async def leave_quietly(self):
        """Leave every group; with Redis down the memberships expire on their own."""
        groups, self.groups_joined = getattr(self, "groups_joined", []), []
        for group in groups:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except UNAVAILABLE as error:
                logger.info("%s: could not leave %s: %r", type(self).__name__, group, error)


class NotificationConsumer(RealtimeConsumer):
    sees_names = True  # only the recipient is in their group

    async def connect(self):
        self.groups_joined = []
        self.user = self.scope.get("user")
        if self.user is None or not self.user.is_authenticated:
            await self.close()  # before accept: the handshake is refused (HTTP 403)
            return
        await self.join(user_group(self.user.pk))
        await self.accept()
        unread, last_id = await self.state()
        await self.send_json({"type": "hello", "unread": unread, "last_id": last_id})

    async def receive_json(self, content, **kwargs):
        kind = content["type"]
        if kind == "ping":
            if await self.keep_alive():
                await self.send_json({"type": "pong"})
        elif kind == "resume":
            last_id = content.get("last_id")
            if not isinstance(last_id, int) or parse_count(last_id) is None:
                await self.send_error("bad_last_id", "'last_id' must be a whole number ≥ 0.")
                return
            for event in await self.notifications_after(last_id):
                await self.send_json(event)
        elif kind == "mark_read":
            try:
                unread = await self.mark_read(content.get("ids"))
            except services.NotificationError as error:
                await self.send_error("bad_ids", str(error))
                return
            await self.send_json({"type": "notification.read", "unread": unread})
        else:
            await self.send_error("unknown_type", f"Unknown message type {kind!r}.")

    @database_sync_to_async
    def state(self):
        mine = Notification.objects.for_user(self.user)
        last = mine.order_by("-id").values_list("id", flat=True).first()
        return mine.unread().count(), last or 0

    @database_sync_to_async
    def notifications_after(self, last_id):
        rows = list(
            Notification.objects.for_user(self.user)
            .filter(id__gt=last_id)
            .order_by("id")[:RESUME_LIMIT]
        )
        unread = services.unread_count(self.user)
        return [
            {"type": "notification.created", **row.as_event(), "unread": unread} for row in rows
        ]

    @database_sync_to_async
    def mark_read(self, ids):
        return services.do_mark_read(self.user, ids)
