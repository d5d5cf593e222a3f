"""Several server processes share the Redis channel layer: a reader connected to one
process sees a post made through another, and catches up after a dropped socket.

Runs only with REDIS_URL (CI's PostgreSQL + Redis pass); the in-memory layer cannot
cross processes.
"""

import json
import secrets
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack

import pytest
from django.conf import settings

from community import services
from tests import factories
from tests.community.factories import CategoryFactory
from tests.community.live import server, session_cookie

pytestmark = [
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL: the in-memory channel "
                       "layer cannot carry events between server processes"),
    pytest.mark.django_db(transaction=True),
]
def post_reply(port, debate_id, cookie, body):
    token = secrets.token_hex(16)  # a 32-character CSRF secret, sent as cookie and header
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/cafe/debates/{debate_id}/responder/",
        data=urllib.parse.urlencode({"body": body}).encode(),
        headers={"Cookie": f"{cookie}; {settings.CSRF_COOKIE_NAME}={token}",
                 "X-CSRFToken": token, "Accept": "application/json",
                 "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        assert response.status == 201
        return json.loads(response.read())["id"]


def open_socket(port, debate_id, cookie):
    from websockets.sync.client import connect

    return connect(
        f"ws://127.0.0.1:{port}/ws/cafe/debates/{debate_id}/",
        origin=f"http://127.0.0.1:{port}",
        additional_headers={"Cookie": cookie},
        open_timeout=10,
    )


def receive(ws, kind, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        event = json.loads(ws.recv(timeout=max(deadline - time.monotonic(), 0.01)))
        if event["type"] == kind:
            return event


def test_a_post_through_one_process_reaches_a_reader_on_another_and_catch_up_works():
    settings.CAFE_POST_RATE_LIMIT = (1000, 60)  # not seen by the servers; 3 posts is fine
    category = CategoryFactory(read_access="members", post_access="members")
    debate = services.do_start_debate(factories.expert(), category, title="Dos procesos",
                                      body="Apertura")
    reader_cookie = session_cookie(factories.learner())
    writer_cookie = session_cookie(factories.learner())
    with ExitStack() as stack:
        port_a = stack.enter_context(server())
        port_b = stack.enter_context(server())

        with open_socket(port_a, debate.pk, reader_cookie) as ws:
            hello = receive(ws, "hello")
            live_id = post_reply(port_b, debate.pk, writer_cookie, "Desde el proceso B")
            event = receive(ws, "post.created")
            assert event["id"] == live_id and "Desde el proceso B" in event["post"]["body_html"]

        # While the reader is away, two more posts go through process B.
        missed = [post_reply(port_b, debate.pk, writer_cookie, f"Perdido {n}") for n in range(2)]
        with open_socket(port_a, debate.pk, reader_cookie) as ws:
            receive(ws, "hello")
            ws.send(json.dumps({"type": "resume", "last_id": live_id}))
            replayed = []
            while (event := json.loads(ws.recv(timeout=10)))["type"] != "resume.done":
                if event["type"].startswith("post."):
                    replayed.append(event["id"])
        assert replayed == missed  # every missed post, exactly once, in order
        assert event["last_id"] == missed[-1] > hello["last_id"]
