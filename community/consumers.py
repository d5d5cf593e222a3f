"""The debate socket at /ws/cafe/debates/<id>/.

Client → server: ``{"type": "resume", "last_id": N, "since": S, "have": [ids]}`` (every
readable post after N except those in ``have``: the posts above N the client shows
already, since after a gap it keeps N before the gap until ``resume.done``; then — when
``since`` is given — the current state of the posts up to N changed after the debate's
change number S: ``post.updated`` + ``reaction.changed``, or
``post.hidden``; all from the database, then ``resume.done`` with ``last_id`` and the
change number ``seq`` to send as ``since`` next time), ``{"type": "typing"}``,
``{"type": "read", "last_id": N}``, ``{"type": "ping"}`` (every 30 s; keeps a member
counted as present; answered by ``pong`` with the debate's newest visible post id and
change number, so a client that missed an event resumes).
Server → client: ``hello``, ``post.created``, ``post.updated``, ``post.hidden``,
``post.pending`` (moderators), ``report.created`` (moderators), ``reaction.changed``,
``debate.updated``, ``debate.moved``, ``typing`` (members only: ``count`` and up to five
``typists``), ``presence`` (``count`` of members reading; ``readers`` names for members,
empty for guests), ``resume.done``, ``pong``, ``error``.

A connection that may not read the debate is refused before it joins any group. When
Redis or the database is unavailable the socket closes with 4503 ("try again"); access
lost while connected closes it with 4403 (do not reconnect).
"""

import time

from channels.db import database_sync_to_async

from allas_site.core import member_state
from allas_site.core.params import parse_count, parse_id
from allas_site.notifications.consumers import REFUSED, RealtimeConsumer
from allas_site.socket_reads import socket_read
from community import permissions, presence, services
from community.events import debate_group, expert_ids, moderators_group, post_payload
from community.models import Debate, Post

RESUME_LIMIT = 500
TYPING_EVERY_S = 2.0
DELIVERED_KEPT = 2 * RESUME_LIMIT


def is_count(value):
    """A whole number a database id column can hold (a 30-digit id would crash a query)."""
    return isinstance(value, int) and parse_count(value) is not None


class DebateConsumer(RealtimeConsumer):
    async def connect(self):
        self.groups_joined = []
        self.user = self.scope.get("user")
        self.debate_id = parse_id(self.scope["url_route"]["kwargs"]["debate_id"])
        self.last_typing = 0.0
        self.present = False
        # Post ids already sent on this connection: a post committed between joining the
        # group and the client's resume would otherwise arrive twice (live and replayed).
        # Only ids above the client's resume point are kept, and at most DELIVERED_KEPT.
        self.delivered = set()
        # The newest post id the client said it has every post up to (its resume): a
        # live copy of an older post is not sent. A group send that Redis broke off
        # and that was sent again can arrive twice, the second time on a connection
        # opened since, whose ``delivered`` never saw the first.
        self.client_has = 0
        access = await self.access() if self.debate_id else None
        if access is None:
            await self.close()  # before accept and before any group: HTTP 403
            return
        self.may_post, is_mod, self.sees_names, last_id = access
        await self.join(debate_group(self.debate_id))
        if is_mod:
            await self.join(moderators_group(self.debate_id))
        await self.accept()
        # Counted before the hello: once a member is told they are in, the room's next
        # presence announcement includes them.
        if self.sees_names:  # members are counted; guests only read the count
            self.present = True
            await presence.arrive(self.debate_id, self.channel_name, self.user)
        await self.send_json({"type": "hello", "debate": self.debate_id, "last_id": last_id})
        # The last announcement went out before this socket joined.
        snapshot = await presence.current(self.debate_id, with_names=self.sees_names)
        if snapshot is not None:
            await self.send_json(snapshot)

    async def disconnect(self, code):
        if getattr(self, "present", False):
            self.present = False
            await presence.depart(self.debate_id, self.channel_name)
        await super().disconnect(code)

    async def receive_json(self, content, **kwargs):
        kind = content["type"]
        if kind == "ping":
            if not await self.keep_alive():
                return  # closed: Redis restarted
            if self.present:
                await presence.heartbeat(self.debate_id, self.channel_name, self.user)
            # The debate's newest post and change number: a client that missed a live
            # event (and no later post came to reveal the gap) resumes within a ping.
            last_id, seq = await self.debate_state()
            await self.send_json({"type": "pong", "last_id": last_id, "seq": seq})
        elif kind == "resume":
            last_id, since = content.get("last_id"), content.get("since")
            if not is_count(last_id):
                await self.send_error("bad_last_id", "'last_id' must be a whole number ≥ 0.")
                return
            if since is not None and not is_count(since):
                await self.send_error("bad_since", "'since' must be a whole number ≥ 0.")
                return
            have = content.get("have", [])
            if not (isinstance(have, list) and len(have) <= RESUME_LIMIT
                    and all(is_count(pk) for pk in have)):
                await self.send_error(
                    "bad_have", f"'have' must be a list of at most {RESUME_LIMIT} post ids."
                )
                return
            # The client has everything up to last_id: only later ids can be duplicates.
            self.client_has = max(self.client_has, last_id)
            self.delivered = {pk for pk in self.delivered if pk > last_id}
            # Posts after a gap it already shows (received on an earlier connection).
            self.delivered.update(pk for pk in have if pk > last_id)
            events, newest, seq = await self.catch_up(last_id, since)
            for event in events:
                if event["type"] == "post.created" and not self.first_delivery(event["id"]):
                    continue
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

    def first_delivery(self, post_id):
        """Record ``post_id`` as sent; False when it was sent already."""
        if post_id in self.delivered:
            return False
        self.delivered.add(post_id)
        if len(self.delivered) > DELIVERED_KEPT:
            # Ids grow: the oldest half can no longer be in flight both ways.
            keep = sorted(self.delivered)[DELIVERED_KEPT // 2:]
            self.delivered = set(keep)
        return True

    async def realtime_event(self, message):
        kind = self.event_kind(message)
        if kind == "debate.moved" and await self.access() is None:
            # The debate went somewhere this reader may not follow it.
            await self.close(code=REFUSED)
            return
        if kind == "post.created":
            post_id = message["id"] if "kind" in message else message["event"].get("id")
            if post_id <= self.client_has or not self.first_delivery(post_id):
                return
        await super().realtime_event(message)

    async def typing(self):
        if not self.may_post:
            await self.send_error("forbidden", "You may not post in this debate.")
            return
        now = time.monotonic()
        if now - self.last_typing < TYPING_EVERY_S:
            return  # throttled silently: typing is a hint, not a message
        self.last_typing = now
        presence.typing(self.debate_id, self.user)

    # --- database, in worker threads ----------------------------------------------------

    @socket_read
    def access(self):
        """``None`` when this user may not read the debate, else
        (may_post, is_mod, is_member, last_id)."""
        if self.user.is_authenticated and not self.user.is_superuser:
            # Reading, as a page does: the member's kept roles (retired when their groups
            # change), not a query per socket. Posting goes over HTTP and checks again.
            self.user._role_names = member_state.kept_roles(self.user)
        debate = (
            Debate.objects.select_related("category", "session").filter(pk=self.debate_id).first()
        )
        if debate is None or not permissions.can_read_debate(self.user, debate):
            return None
        return (
            permissions.can_reply(self.user, debate),
            permissions.is_moderator(self.user),
            permissions.is_member(self.user),
            debate.last_post_id,
        )

    @socket_read
    def catch_up(self, last_id, since):
        """What a resume sends, in one read (a room filling up asks hundreds at once):
        the posts after ``last_id``, then, when ``since`` is given, the changes to earlier
        ones; the newest id sent and the change number."""
        # The change number is read before anything else: a change committed later
        # reaches this socket live (its group is joined) or in the queries below.
        seq = self.change_seq()
        events, newest = self.posts_after(last_id)
        if since is not None:
            changes, seq = self.changes_since(last_id, since, seq)
            events += changes
        return events, newest, seq

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

    @socket_read
    def debate_state(self):
        return (
            Debate.objects.filter(pk=self.debate_id)
            .values_list("last_post_id", "change_seq").first()
            or (0, 0)
        )

    def change_seq(self):
        return (
            Debate.objects.filter(pk=self.debate_id).values_list("change_seq", flat=True).first()
            or 0
        )

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
        if not changed:
            return [], seq
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
