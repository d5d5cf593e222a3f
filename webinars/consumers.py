"""The live room socket at /ws/webinars/<page id>/sala/ (the id of the event's page in
the language the person opened; every language's copy shares one room).

Client → server:
``{"type": "resume", "last_id": N, "since": S}`` (every question after N, then — when
``since`` is given — the current state of the questions up to N and of the polls changed
after the room's change number S, all from the database; then ``resume.done`` with
``last_id`` and ``seq``, to send as ``since`` next time), ``{"type": "ping"}`` (every
30 s; the ``pong`` carries the room's newest question id and change number, so a client
that missed an event resumes), ``{"type": "ask", "text": "…"}``,
``{"type": "vote", "id": Q}`` (toggles), ``{"type": "poll.vote", "id": P, "option": O}``;
moderators also
``{"type": "moderate", "id": Q, "action": "answer|unanswer|highlight|unhighlight|hide|show"}``,
``{"type": "poll.open", "question": "…", "options": ["…", …]}``,
``{"type": "poll.close", "id": P}``.

Server → client: ``hello``, the events of ``webinars.events``, ``presence`` (``count`` and
up to twenty names), ``asked`` / ``voted`` / ``poll.answered`` / ``done`` (to the sender,
after a write), ``resume.done``, ``pong``, ``error`` (``code`` and a sentence; the socket stays
open).

Anonymous people and people who may not enter (not registered, room closed) are
refused before joining any group (HTTP 403). The socket closes with 4403 (do not
reconnect) when the event is over, or after an ``access.revoked`` frame when the
person's place is cancelled, and with 4503 ("try again") when Redis or the database
is unavailable.
"""

from channels.db import database_sync_to_async
from django.utils import timezone, translation

from allas_site.core.params import parse_id
from allas_site.notifications.consumers import REFUSED, RealtimeConsumer
from community import presence
from community.consumers import is_count
from webinars import live
from webinars.events import (
    ACCESS_REVOKED,
    attendee_group,
    poll_events,
    question_event,
    question_payload,
    room_group,
)
from webinars.models import (
    LiveRoom,
    Poll,
    Question,
    QuestionStatus,
)

RESUME_LIMIT = 500
DELIVERED_KEPT = 2 * RESUME_LIMIT
POLL_COUNTS_FOR_VOTERS = frozenset({"poll.opened", "poll.voted"})


class RoomConsumer(RealtimeConsumer):
    sees_names = True  # everyone in the room is a signed-in participant

    async def connect(self):
        self.groups_joined = []
        self.user = self.scope.get("user")
        self.present = False
        # Question ids already sent on this connection (one committed between joining the
        # group and the client's resume would otherwise arrive twice), and the polls this
        # person voted in (their counts are for voters).
        self.delivered = set()
        self.voted_polls = set()
        webinar_id = parse_id(self.scope["url_route"]["kwargs"]["webinar_id"])
        entered = await self.enter(webinar_id) if webinar_id else None
        if entered is None:
            await self.close()  # before accept and before any group: HTTP 403
            return
        self.webinar, access, last_id, self.voted_polls = entered
        self.moderator = access.moderator
        self.group = room_group(self.webinar.translation_key)
        await self.join(self.group)
        # Joined before accept, like the room: a cancellation committed from here on
        # reaches this socket (one committed earlier was seen by ``enter``).
        await self.join(attendee_group(self.webinar.translation_key, self.user.pk))
        await self.accept()
        await self.send_json({"type": "hello", "webinar": self.webinar.pk, "last_id": last_id,
                              "moderator": self.moderator})
        self.present = True
        await presence.arrive(self.group, self.channel_name, self.user)
        snapshot = await presence.current(self.group, with_names=True)
        if snapshot is not None:
            await self.send_json(snapshot)

    async def disconnect(self, code):
        if getattr(self, "present", False):
            self.present = False
            await presence.depart(self.group, self.channel_name)
        await super().disconnect(code)

    async def receive_json(self, content, **kwargs):
        kind = content["type"]
        if kind == "ping":
            if timezone.now() > self.webinar.ends_at:
                await self.close(code=REFUSED)  # the event is over: nothing to come back to
                return
            if not await self.keep_alive():
                return  # closed: Redis restarted
            await presence.heartbeat(self.group, self.channel_name, self.user)
            # As in the Café: the room's newest question and change number, so a client
            # that missed a live event (and no later one revealed it) resumes within a ping.
            last_id, seq = await self.room_state()
            await self.send_json({"type": "pong", "last_id": last_id, "seq": seq})
        elif kind == "resume":
            await self.resume(content.get("last_id"), content.get("since"))
        elif kind in self.ACTIONS:
            try:
                reply = await self.act(kind, content)
            except live.RoomError as error:
                await self.send_error(error.code, str(error))
                return
            await self.send_json(reply)
        else:
            await self.send_error("unknown_type", f"Unknown message type {kind!r}.")

    async def resume(self, last_id, since):
        if not is_count(last_id):
            await self.send_error("bad_last_id", "'last_id' must be a whole number ≥ 0.")
            return
        if since is not None and not is_count(since):
            await self.send_error("bad_since", "'since' must be a whole number ≥ 0.")
            return
        # The client has everything up to last_id: only later ids can be duplicates.
        self.delivered = {pk for pk in self.delivered if pk > last_id}
        events, newest, seq = await self.catch_up(last_id, since)
        for event in events:
            if event["type"] == "question.created" and not self.first_delivery(event["id"]):
                continue
            await self.send_json(event)
        await self.send_json({"type": "resume.done", "last_id": max(newest, last_id),
                              "seq": seq})

    def first_delivery(self, question_id):
        """Record ``question_id`` as sent; False when it was sent already."""
        if question_id in self.delivered:
            return False
        self.delivered.add(question_id)
        if len(self.delivered) > DELIVERED_KEPT:
            # Ids grow: the oldest half can no longer be in flight both ways.
            self.delivered = set(sorted(self.delivered)[DELIVERED_KEPT // 2:])
        return True

    async def realtime_event(self, message):
        kind = self.event_kind(message)
        if kind == ACCESS_REVOKED:
            await self.leave_room(message.get("code", "cancelled"))
            return
        if kind == "question.created" and not self.first_delivery(message.get("id")):
            return
        if kind in POLL_COUNTS_FOR_VOTERS and "guest_text" in message:
            # Poll counts: for moderators and for whoever voted in that poll.
            if message.get("voter") == self.user.pk:
                self.voted_polls.add(message["id"])  # voted from another tab or the form
            sees = self.moderator or message.get("id") in self.voted_polls
            text = message["text"] if sees else message["guest_text"]
            if not self.closed and text is not None:
                await self.send(text_data=text)
            return
        await super().realtime_event(message)

    async def leave_room(self, code="cancelled"):
        """The person's place (``cancelled``) or the whole event (``event_cancelled``)
        was cancelled: a last frame saying so, then 4403 (the client does not
        reconnect). Presence and groups are left on disconnect."""
        if self.closed:
            return
        with translation.override(self.webinar.locale.language_code):
            if code == "event_cancelled":
                reason = translation.gettext("Este evento se ha cancelado: la sala está cerrada.")
            else:
                code = "cancelled"
                reason = translation.gettext(
                    "Tu inscripción se ha cancelado: ya no estás en la sala.")
        await self.send_json({"type": ACCESS_REVOKED, "code": code, "message": reason})
        await self.close(code=REFUSED)

    # --- actions (every write is a service call in a worker thread) -----------------------

    ACTIONS = frozenset({"ask", "vote", "moderate", "poll.open", "poll.vote", "poll.close"})

    @database_sync_to_async
    def act(self, kind, content):
        # Messages for the person in the language of the page they opened.
        with translation.override(self.webinar.locale.language_code):
            webinar = self.webinar
            if kind == "ask":
                question = live.do_ask(self.user, webinar, content.get("text"))
                return {"type": "asked", "id": question.pk}
            if kind == "vote":
                question, voted = live.do_toggle_vote(self.user, webinar, content.get("id"))
                return {"type": "voted", "id": question.pk, "voted": voted,
                        "votes": question.votes}
            if kind == "moderate":
                live.do_moderate_question(self.user, webinar, content.get("id"),
                                          content.get("action"))
                return {"type": "done", "action": kind}  # the room's event says what
            if kind == "poll.open":
                live.do_open_poll(self.user, webinar, content.get("question"),
                                  content.get("options"))
                return {"type": "done", "action": kind}
            if kind == "poll.vote":
                poll = live.do_vote_poll(self.user, webinar, content.get("id"),
                                         content.get("option"))
                self.voted_polls.add(poll.pk)
                return {"type": "poll.answered", "id": poll.pk,
                        "option": parse_id(content.get("option"))}
            live.do_close_poll(self.user, webinar, content.get("id"))
            return {"type": "done", "action": kind}

    # --- database, in worker threads ------------------------------------------------------

    @database_sync_to_async
    def enter(self, webinar_id):
        """``None`` when this person may not enter the room, else (webinar, access, the
        newest question id, the ids of the polls they voted in). Records attendance.
        One query for a returning person (``live.enter_room``)."""
        entry = live.enter_room(self.user, webinar_id)
        if entry is None or not entry.access.allowed:
            return None
        return entry.webinar, entry.access, entry.last_question_id, set(entry.voted_polls)

    @database_sync_to_async
    def room_state(self):
        return (
            LiveRoom.objects.filter(webinar_key=self.webinar.translation_key)
            .values_list("last_question_id", "change_seq").first()
            or (0, 0)
        )

    @database_sync_to_async
    def catch_up(self, last_id, since):
        """Missed questions, then the current state of what changed after ``since``, as
        the live events would have told it; the newest id sent and the change number to
        resume from next time."""
        key = self.webinar.translation_key
        # Read first: a change committed later reaches this socket live (its group is
        # joined) or in the queries below.
        seq = (LiveRoom.objects.filter(webinar_key=key)
               .values_list("change_seq", flat=True).first() or 0)
        questions = Question.objects.filter(webinar_key=key).select_related("author")
        new = list(questions.filter(id__gt=last_id).order_by("id")[:RESUME_LIMIT])
        events = [self.replayed(question, "question.created") for question in new
                  if self.moderator or question.status != QuestionStatus.HIDDEN]
        newest = new[-1].pk if new else 0  # at most RESUME_LIMIT: the rest next time
        # A first resume (last_id 0) has no earlier questions whose state could have
        # changed: one query less for each of the hundreds of sockets joining at once.
        if since is not None and last_id > 0:
            changed = list(
                questions.filter(id__lte=last_id, change_seq__gt=since)
                .order_by("change_seq")[:RESUME_LIMIT]
            )
            if len(changed) == RESUME_LIMIT:
                seq = min(seq, changed[-1].change_seq)
            events += [self.replayed(question, "question.updated") for question in changed]
        events += self.poll_states(since or 0)
        return events, newest, seq

    def replayed(self, question, kind):
        if question.status == QuestionStatus.HIDDEN and self.moderator:
            event = {"type": kind, "id": question.pk, "question": question_payload(question)}
        else:
            event = question_event(question, kind)
        event["replay"] = True
        return event

    def poll_states(self, since):
        polls = list(
            Poll.objects.filter(webinar_key=self.webinar.translation_key, change_seq__gt=since)
            .prefetch_related("options").order_by("change_seq")
        )
        events = []
        for poll in polls:
            kind = "poll.opened" if poll.is_open else "poll.closed"
            with_counts, without = poll_events(poll, list(poll.options.all()), kind)
            sees = not poll.is_open or self.moderator or poll.pk in self.voted_polls
            events.append({**(with_counts if sees else without), "replay": True})
        return events
