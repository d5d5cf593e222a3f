"""Group names and event payloads of the webinar live room (one helper per name).

Events (server → client), every one with the id of the row it is about:

* ``question.created`` ``{id, prev, question}`` (``prev``: the room's question before it,
  so a client that missed one asks to resume), ``question.updated`` ``{id, question}``
  (answered, highlighted, shown again), ``question.hidden`` ``{id}``,
  ``question.voted`` ``{id, votes}``;
* ``poll.opened`` / ``poll.closed`` ``{id, poll}``, ``poll.voted`` ``{id, poll}``: the
  counts only to people who voted in that poll and to moderators (the others get the
  poll without counts until it closes);
* ``access.revoked`` ``{id, code, message}`` to one person's sockets (their place was
  cancelled), just before the socket closes with 4403.
"""

from webinars.models import QuestionStatus


def room_group(webinar_key):
    """Everyone in the event's live room, whatever the language of the page they opened
    (they passed the access check before joining)."""
    return f"webinars.room.{webinar_key.hex}"


def attendee_group(webinar_key, user_id):
    """One person's sockets in one room: told to leave when their place is cancelled."""
    return f"webinars.room.{webinar_key.hex}.user.{int(user_id)}"


# Sent to ``attendee_group``: the socket sends a last frame saying why and closes
# with 4403 (do not reconnect).
ACCESS_REVOKED = "access.revoked"


def question_payload(question):
    author = question.author
    return {
        "id": question.pk,
        "text": question.text,
        "author": {"id": author.pk if author else None,
                   "name": author.public_name if author else ""},
        "status": question.status,
        "highlighted": question.highlighted,
        "votes": question.votes,
        "created_at": question.created_at.isoformat(),
    }


def poll_payload(poll, options, *, with_counts):
    """``options``: the poll's options in order (passed in: no query here)."""
    payload = {
        "id": poll.pk,
        "question": poll.question,
        "status": poll.status,
        "options": [{"id": option.pk, "text": option.text} for option in options],
    }
    if with_counts:
        payload["votes"] = poll.votes
        for entry, option in zip(payload["options"], options, strict=True):
            entry["votes"] = option.votes
    return payload


def question_event(question, kind, prev=None):
    if kind == "question.hidden" or question.status == QuestionStatus.HIDDEN:
        return {"type": "question.hidden", "id": question.pk}
    event = {"type": kind, "id": question.pk, "question": question_payload(question)}
    if kind == "question.created":
        event["prev"] = prev or 0
    return event


def poll_events(poll, options, kind):
    """(event with the counts, event without them) for one poll."""
    return (
        {"type": kind, "id": poll.pk, "poll": poll_payload(poll, options, with_counts=True)},
        {"type": kind, "id": poll.pk, "poll": poll_payload(poll, options, with_counts=False)},
    )
