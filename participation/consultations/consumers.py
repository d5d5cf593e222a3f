"""The results socket of a consultation at /ws/consultas/<id>/resultados/.

The Café's contract, for counts instead of posts: the database is the truth, the
socket only says that something changed.

Client → server: ``{"type": "resume", "seq": N}`` (the change number of the results the
client shows; when the consultation's is higher, a ``results.changed`` comes at once),
``{"type": "ping"}`` (every 30 s; answered by ``pong`` with the current ``seq``).
Server → client: ``hello`` ``{seq}``, ``results.changed`` ``{id, seq}`` (the client
fetches the results again), ``pong``, ``error``. No presence.

Coalesced: however many answers arrive, a socket gets at most one ``results.changed``
every ``EVERY_S`` seconds, carrying the newest change number (the client then reads
the counts once). A connection that may not see the results is refused before it
joins any group.
"""

import asyncio
import time

from channels.db import database_sync_to_async

from allas_site.core.params import parse_count, parse_id
from allas_site.notifications.consumers import RealtimeConsumer
from allas_site.realtime import UNAVAILABLE
from participation.consultations import services
from participation.consultations.events import consultation_group
from participation.consultations.models import ConsultationPage, Tally

EVERY_S = 2.0


class ResultsConsumer(RealtimeConsumer):
    async def connect(self):
        self.groups_joined = []
        self.user = self.scope.get("user")
        self.consultation_id = parse_id(self.scope["url_route"]["kwargs"]["consultation_id"])
        self.last_sent = 0.0
        self.newest = None  # the newest event not yet sent
        self.flusher = None
        allowed = await self.access() if self.consultation_id else False
        if not allowed:
            await self.close()  # before accept and before any group: HTTP 403
            return
        await self.join(consultation_group(self.consultation_id))
        await self.accept()
        await self.send_json({"type": "hello", "seq": await self.current_seq()})

    async def disconnect(self, code):
        if self.flusher is not None:
            self.flusher.cancel()
        await super().disconnect(code)

    async def receive_json(self, content, **kwargs):
        kind = content["type"]
        if kind == "ping":
            if await self.keep_alive():
                await self.send_json({"type": "pong", "seq": await self.current_seq()})
        elif kind == "resume":
            seq = content.get("seq")
            if not isinstance(seq, int) or isinstance(seq, bool) or parse_count(seq) is None:
                await self.send_error("bad_seq", "'seq' must be a whole number ≥ 0.")
                return
            current = await self.current_seq()
            if current > seq:
                self.queue({"type": "results.changed", "id": 0, "seq": current})
        else:
            await self.send_error("unknown_type", f"Unknown message type {kind!r}.")

    async def realtime_event(self, message):
        if self.closed:
            return
        if self.event_kind(message) == "results.changed":
            import json

            self.queue(json.loads(message["text"]) if "text" in message else message["event"])
            return
        await super().realtime_event(message)

    def queue(self, event):
        """Keep the newest change; send it now, or when EVERY_S has passed since the
        last one (one timer per socket, no database work)."""
        if self.newest is None or event.get("seq", 0) >= self.newest.get("seq", 0):
            self.newest = event
        if self.flusher is None:
            wait = self.last_sent + EVERY_S - time.monotonic()
            self.flusher = asyncio.get_running_loop().create_task(self.flush(max(wait, 0)))

    async def flush(self, wait):
        try:
            while True:
                if wait > 0:
                    await asyncio.sleep(wait)
                event, self.newest = self.newest, None
                if event is None or self.closed:
                    return
                self.last_sent = time.monotonic()
                await self.send_json(event)
                if self.newest is None:  # nothing arrived while sending
                    return
                wait = EVERY_S
        except UNAVAILABLE:
            self.closed = True  # the browser left; websocket.disconnect follows
        finally:
            self.flusher = None

    @database_sync_to_async
    def access(self):
        page = ConsultationPage.objects.filter(pk=self.consultation_id).first()
        if page is None or not page.live:
            return False
        consultation = services.original_of(page)
        if consultation.pk != page.pk:
            return False  # the group is the original's: clients use its id
        return services.can_see_results(self.user, consultation)

    @database_sync_to_async
    def current_seq(self):
        return (Tally.objects.filter(pk=self.consultation_id)
                .values_list("change_seq", flat=True).first() or 0)
