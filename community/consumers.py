"""The debate socket at /ws/cafe/debates/<id>/.

Client → server: ``{"type": "resume", "last_id": N, "since": S}`` (every readable post
after N, then — when ``since`` is given — the current state of the posts up to N changed
after the debate's change number S: ``post.updated`` + ``reaction.changed``, or
``post.hidden``; all from the database, then ``resume.done`` with ``last_id`` and the
change number ``seq`` to send as ``since`` next time), ``{"type": "typing"}``,
``{"type": "read", "last_id": N}``, ``{"type": "ping"}``.
Server → client: ``hello``, ``post.created``, ``post.updated``, ``post.hidden``,
``post.pending`` (moderators), ``report.created`` (moderators), ``reaction.changed``,
``debate.updated``, ``debate.moved``, ``typing``, ``presence``, ``resume.done``,
``pong``, ``error``.

A connection that may not read the debate is refused before it joins any group.
"""

import time

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.core.cache import cache

from allas_site.notifications.consumers import RealtimeConsumer
from community import permissions, services
from community.events import debate_group, expert_ids, moderators_group, post_payload
from community.models import Debate, Post

RESUME_LIMIT = 500
TYPING_EVERY_S = 2.0
PRESENCE_TTL_S = 90
READERS_SHOWN = 20


def is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def presence_key(debate_id):
    return f"cafe:presence:{int(debate_id)}"


class DebateConsumer(RealtimeConsumer):
    async def connect(self):
        self.groups_joined = []
        self.user = self.scope.get("user")
        self.debate_id = int(self.scope["url_route"]["kwargs"]["debate_id"])
        self.last_typing = 0.0
        # Post ids already sent on this connection: a post committed between joining the
        # group and the client's resume would otherwise arrive twice (live and replayed).
        self.delivered = set()
        access = await self.access()
        if access is None:
            await self.close()  # before accept and before any group: HTTP 403
            return
        self.may_post, is_mod, last_id = access
        await self.join(debate_group(self.debate_id))
        if is_mod:
            await self.join(moderators_group(self.debate_id))
        await self.accept()
        await self.send_json({"type": "hello", "debate": self.debate_id, "last_id": last_id})
        if self.user.is_authenticated:
            await self.announce_presence(await self.update_presence(present=True))

    async def disconnect(self, code):
        if getattr(self, "groups_joined", None) and self.user.is_authenticated:
            readers = await self.update_presence(present=False)
            await self.announce_presence(readers)
        await super().disconnect(code)

    async def receive_json(self, content, **kwargs):
        kind = content["type"]
        if kind == "ping":
            if self.user.is_authenticated:
                await self.update_presence(present=True)
            await self.send_json({"type": "pong"})
        elif kind == "resume":
            last_id, since = content.get("last_id"), content.get("since")
            if not is_count(last_id):
                await self.send_error("bad_last_id", "'last_id' must be a whole number ≥ 0.")
                return
            if since is not None and not is_count(since):
                await self.send_error("bad_since", "'since' must be a whole number ≥ 0.")
                return
            # The change number is read before anything else: a change committed later
            # reaches this socket live (its group is joined) or in the query below.
            seq = await self.change_seq()
            events, newest = await self.posts_after(last_id)
            if since is not None:
                changes, seq = await self.changes_since(last_id, since, seq)
                events += changes
            for event in events:
                if event["type"] == "post.created":
                    if event["id"] in self.delivered:
                        continue
                    self.delivered.add(event["id"])
                await self.send_json(event)
            await self.send_json(
                {"type": "resume.done", "last_id": max(newest, last_id), "seq": seq}
            )
        elif kind == "typing":
            await self.typing()
        elif kind == "read":
            last_id = content.get("last_id")
            if not is_count(last_id):
                await self.send_error("bad_last_id", "'last_id' must be a whole number ≥ 0.")
                return
            await self.mark_read(last_id)
        else:
            await self.send_error("unknown_type", f"Unknown message type {kind!r}.")

    async def realtime_event(self, message):
        event = message.get("event", {})
        if event.get("type") == "debate.moved" and await self.access() is None:
            # The debate went somewhere this reader may not follow it.
            await self.close(code=4403)
            return
        if event.get("type") == "post.created":
            if event.get("id") in self.delivered:
                return
            self.delivered.add(event.get("id"))
        await super().realtime_event(message)

    async def typing(self):
        if not self.may_post:
            await self.send_error("forbidden", "You may not post in this debate.")
            return
        now = time.monotonic()
        if now - self.last_typing < TYPING_EVERY_S:
            return  # throttled silently: typing is a hint, not a message
        self.last_typing = now
        await self.channel_layer.group_send(
            debate_group(self.debate_id),
            {
                "type": "realtime.event",
                "event": {"type": "typing", "user": self.user.pk, "name": self.user.public_name},
                "skip_channel": self.channel_name,
            },
        )

    async def announce_presence(self, readers):
        await self.channel_layer.group_send(
            debate_group(self.debate_id),
            {
                "type": "realtime.event",
                "event": {
                    "type": "presence",
                    "count": len(readers),
                    "readers": readers[:READERS_SHOWN],
                },
                "skip_channel": None,
            },
        )

    # --- database and cache, in worker threads -----------------------------------------

    @database_sync_to_async
    def access(self):
        """``None`` when this user may not read the debate, else (may_post, is_mod, last_id)."""
        debate = (
            Debate.objects.select_related("category", "session").filter(pk=self.debate_id).first()
        )
        if debate is None or not permissions.can_read_debate(self.user, debate):
            return None
        return (
            permissions.can_reply(self.user, debate),
            permissions.is_moderator(self.user),
            debate.last_post_id,
        )

    @database_sync_to_async
    def posts_after(self, last_id):
        posts = list(
            Post.objects.visible_to(self.user)
            .filter(debate_id=self.debate_id, id__gt=last_id)
            .select_related("author", "quote_of__author")
            .order_by("id")[:RESUME_LIMIT]
        )
        experts = expert_ids(post.author_id for post in posts)
        events = []
        for post in posts:
            kind = "post.created" if post.status == Post.Status.VISIBLE else "post.pending"
            events.append(
                {
                    "type": kind,
                    "id": post.pk,
                    "debate": self.debate_id,
                    "post": post_payload(post, experts),
                    "replay": True,
                }
            )
        return events, (posts[-1].pk if posts else 0)

    @database_sync_to_async
    def change_seq(self):
        return (
            Debate.objects.filter(pk=self.debate_id).values_list("change_seq", flat=True).first()
            or 0
        )

    @database_sync_to_async
    def changes_since(self, last_id, since, seq):
        """Current state of the posts up to ``last_id`` changed after ``since``, as the
        live events would have told it, and the change number to resume from next time.
        Hidden posts go out as a bare id; posts this reader may not see are left out."""
        changed = list(
            Post.objects.filter(
                debate_id=self.debate_id, id__lte=last_id, change_seq__gt=since
            )
            .select_related("author", "quote_of__author")
            .order_by("change_seq")[:RESUME_LIMIT]
        )
        if len(changed) == RESUME_LIMIT:
            seq = min(seq, changed[-1].change_seq)  # the rest on the next resume
        readable = set(
            Post.objects.visible_to(self.user)
            .filter(pk__in=[post.pk for post in changed])
            .values_list("pk", flat=True)
        )
        shown = [post for post in changed if post.pk in readable
                 and post.status != Post.Status.HIDDEN]
        experts = expert_ids(post.author_id for post in shown)
        counts = services.reaction_counts([post.pk for post in shown])
        events = []
        for post in changed:
            if post.status == Post.Status.HIDDEN:
                events.append({"type": "post.hidden", "id": post.pk, "debate": self.debate_id,
                               "replay": True})
            elif post.pk in readable:
                events.append({"type": "post.updated", "id": post.pk, "debate": self.debate_id,
                               "post": post_payload(post, experts), "replay": True})
                events.append({"type": "reaction.changed", "id": post.pk,
                               "debate": self.debate_id, "counts": counts.get(post.pk, {})})
        return events, seq

    @database_sync_to_async
    def mark_read(self, last_id):
        debate = Debate.objects.filter(pk=self.debate_id).first()
        if debate is not None:
            services.do_mark_read(self.user, debate, min(last_id, debate.last_post_id))

    @sync_to_async
    def update_presence(self, present):
        """Readers present, kept in the shared cache so every server process sees them."""
        key = presence_key(self.debate_id)
        now = time.time()
        entries = {
            channel: entry
            for channel, entry in (cache.get(key) or {}).items()
            if now - entry["seen"] < PRESENCE_TTL_S
        }
        if present:
            entries[self.channel_name] = {
                "id": self.user.pk,
                "name": self.user.public_name,
                "initials": self.user.initials,
                "seen": now,
            }
        else:
            entries.pop(self.channel_name, None)
        cache.set(key, entries, timeout=PRESENCE_TTL_S * 2)
        readers = {}
        for entry in entries.values():
            readers[entry["id"]] = {"id": entry["id"], "name": entry["name"],
                                    "initials": entry["initials"]}
        return sorted(readers.values(), key=lambda reader: reader["name"])
