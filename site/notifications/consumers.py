"""The personal notifications socket at /ws/notificaciones/.

Client → server: ``{"type": "resume", "last_id": N}`` (replay everything after N from
the database), ``{"type": "mark_read", "ids": [...]}``, ``{"type": "ping"}``.
Server → client: ``hello``, ``notification.created``, ``notification.read``, ``pong``,
``error`` (the connection stays open after an error frame).
"""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from allas_site.notifications import services
from allas_site.notifications.models import Notification
from allas_site.realtime import user_group

RESUME_LIMIT = 200


class RealtimeConsumer(AsyncJsonWebsocketConsumer):
    """Base for the platform's sockets: error frames instead of crashes, and the
    ``realtime.event`` handler that forwards events sent by ``send_event_on_commit``."""

    groups_joined: list

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self.send_error("binary_unsupported", "Only JSON text frames are accepted.")
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_error("malformed_json", "The message is not valid JSON.")
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error("missing_type", "A message is an object with a 'type'.")
            return
        await self.receive_json(content)

    async def send_error(self, code, message):
        await self.send_json({"type": "error", "code": code, "message": message})

    async def realtime_event(self, message):
        if message.get("skip_channel") and message["skip_channel"] == self.channel_name:
            return
        await self.send_json(message["event"])

    async def join(self, group):
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined.append(group)

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)


class NotificationConsumer(RealtimeConsumer):
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
            await self.send_json({"type": "pong"})
        elif kind == "resume":
            last_id = content.get("last_id")
            if not isinstance(last_id, int) or last_id < 0:
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
