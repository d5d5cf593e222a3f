"""The live counter of a campaign at /ws/campanas/<page id>/ (the id of the page in the
language the visitor opened; every language's copy shares one group).

Client → server: ``{"type": "resume", "last_id": N}`` (the signatures made public after
change number N, from the database, as one ``signatures.added`` marked ``replay``, then
``resume.done`` with ``last_id`` and ``count``), ``{"type": "ping"}`` (every 30 s; the
``pong`` carries the current ``last_id`` and ``count``, so a client that missed an event
catches up within a ping).

Server → client: ``hello`` (``last_id``, ``count``), the events of
``participation.campaigns.events``, ``batch`` (``events``: several of them that arrived
within ``COALESCE_SECONDS``, in order: a burst of approvals is one frame), ``resume.done``,
``pong``, ``error``.

Campaign pages are public: anonymous visitors may listen. No presence, no writes: the
socket only tells. A page that is not live (or restricted) is refused before joining
any group (HTTP 403); Redis or the database down closes with 4503 ("try again").
"""

import asyncio

from channels.db import database_sync_to_async

from allas_site.core.params import parse_id
from allas_site.notifications.consumers import RealtimeConsumer
from community.consumers import is_count
from participation.campaigns import services
from participation.campaigns.events import campaign_group, signature_payload
from participation.campaigns.models import CampaignPage

RESUME_LIMIT = 500
COALESCE_SECONDS = 1.0


class CampaignCounterConsumer(RealtimeConsumer):
    coalesce_seconds = COALESCE_SECONDS

    async def connect(self):
        self.groups_joined = []
        self.pending = []
        self.flusher = None
        self.seen_id = 0
        page_id = parse_id(self.scope["url_route"]["kwargs"]["page_id"])
        entered = await self.enter(page_id) if page_id else None
        if entered is None:
            await self.close()  # before accept and before any group: HTTP 403
            return
        self.campaign, count, last_id = entered
        await self.join(campaign_group(self.campaign.translation_key))
        await self.accept()
        await self.send_json({"type": "hello", "last_id": last_id, "count": count})

    async def disconnect(self, code):
        if getattr(self, "flusher", None) is not None:
            self.flusher.cancel()
        await super().disconnect(code)

    async def receive_json(self, content, **kwargs):
        kind = content["type"]
        if kind == "ping":
            if not await self.keep_alive():
                return
            count, last_id = await self.state()
            await self.send_json({"type": "pong", "last_id": last_id, "count": count})
        elif kind == "resume":
            last_id = content.get("last_id")
            if not is_count(last_id):
                await self.send_error("bad_last_id", "'last_id' must be a whole number ≥ 0.")
                return
            event, newest, count = await self.catch_up(last_id)
            if event is not None:
                await self.send_json(event)
            self.seen_id = max(self.seen_id, newest)
            await self.send_json({"type": "resume.done", "last_id": newest, "count": count})
        else:
            await self.send_error("unknown_type", f"Unknown message type {kind!r}.")

    async def realtime_event(self, message):
        """Coalesce: the first event of a burst waits ``coalesce_seconds`` for the
        others, then they leave as one frame."""
        if self.closed:
            return
        self.pending.append(message)
        if self.flusher is None:
            self.flusher = asyncio.ensure_future(self.flush_later())

    async def flush_later(self):
        try:
            await asyncio.sleep(self.coalesce_seconds)
        finally:
            self.flusher = None
        await self.flush()

    async def flush(self):
        messages, self.pending = self.pending, []
        # An event already covered by a resume (same change number or older) is dropped.
        texts = [m["text"] for m in messages if (m.get("id") or 0) > self.seen_id]
        for message in messages:
            self.seen_id = max(self.seen_id, message.get("id") or 0)
        if not texts or self.closed:
            return
        if len(texts) == 1:
            await self.send(text_data=texts[0])
        else:
            await self.send(text_data='{"type":"batch","events":[' + ",".join(texts) + "]}")

    # --- database, in worker threads ------------------------------------------------------

    @database_sync_to_async
    def enter(self, page_id):
        page = CampaignPage.objects.live().public().filter(pk=page_id).first()
        if page is None:
            return None
        original = services.original_of(page)
        count, last_id = services.tally_of(original)
        return original, count, last_id

    @database_sync_to_async
    def state(self):
        return services.tally_of(self.campaign)

    @database_sync_to_async
    def catch_up(self, last_id):
        """(one replayed ``signatures.added`` or None, the change number reached, count).
        The tally is read first: a change committed later arrives live."""
        count, newest = services.tally_of(self.campaign)
        rows = list(
            services.public_signatures(self.campaign).filter(seq__gt=last_id)
            .order_by("seq")[:RESUME_LIMIT]
        )
        if len(rows) == RESUME_LIMIT:
            newest = rows[-1].seq  # the rest on the next resume
        if not rows:
            return None, max(newest, last_id), count
        return ({"type": "signatures.added", "id": newest, "count": count, "replay": True,
                 "signatures": [signature_payload(row) for row in rows]},
                max(newest, last_id), count)
