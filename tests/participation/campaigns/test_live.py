"""The live counter: anonymous readers join, approvals arrive as one coalesced frame,
catch-up by the campaign's change number, bad frames get an error, unpublished
campaigns refuse the handshake."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from wagtail.models import Locale, Page

from allas_site.asgi import application
from participation.campaigns import services
from participation.campaigns.consumers import CampaignCounterConsumer
from participation.campaigns.models import CampaignIndexPage
from tests import factories as people
from tests.participation.campaigns import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture(autouse=True)
def _quick_coalescing(monkeypatch):
    monkeypatch.setattr(CampaignCounterConsumer, "coalesce_seconds", 0.3)


@sync_to_async
def make_campaign(**fields):
    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    index = CampaignIndexPage.objects.first()
    if index is None:
        parent = Page.objects.filter(depth=2).first() or Page.objects.filter(depth=1).first()
        if parent is None:
            parent = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        index = parent.add_child(instance=CampaignIndexPage(title="Campañas", slug="campanas"))
    editor = people.editor()
    editor.is_superuser = True  # the tree may lack Wagtail's group permissions after a flush
    editor.save()
    return factories.campaign(index, **fields), editor


@sync_to_async
def confirmed(page, count):
    return [factories.signature(page, status="confirmed").pk for _ in range(count)]


review = sync_to_async(services.do_review)


async def connect(page_id):
    communicator = WebsocketCommunicator(
        application, f"/ws/campanas/{page_id}/",
        headers=[(b"host", b"testserver"), (b"origin", b"http://testserver")],
    )
    connected, _subprotocol = await communicator.connect()
    return communicator, connected


async def test_approvals_reach_anonymous_readers_coalesced():
    page, editor = await make_campaign()
    communicator, connected = await connect(page.pk)
    assert connected
    hello = await communicator.receive_json_from()
    assert hello == {"type": "hello", "last_id": 0, "count": 0}
    first, second, third = await confirmed(page, 3)
    await review(editor, page, [first, second], "approve")  # one batch: one event
    event = await communicator.receive_json_from(timeout=2)
    assert event["type"] == "signatures.added" and event["count"] == 2 and event["id"] == 2
    assert {s["seq"] for s in event["signatures"]} == {1, 2}
    assert "email" not in str(event) and "@" not in str(event)
    # Two approvals in quick succession leave as one frame. The window is widened for
    # them: under CI's load one review took longer than the module's 0.3 s.
    CampaignCounterConsumer.coalesce_seconds = 2.0  # restored by the fixture's monkeypatch
    await review(editor, page, [third], "approve")
    await review(editor, page, [first], "reject")
    batch = await communicator.receive_json_from(timeout=5)
    assert batch["type"] == "batch"
    assert [e["type"] for e in batch["events"]] == ["signatures.added", "signatures.removed"]
    assert batch["events"][-1]["count"] == 2
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_a_reconnecting_reader_catches_up_from_its_last_id():
    page, editor = await make_campaign()
    ids = await confirmed(page, 3)
    await review(editor, page, ids[:1], "approve")
    await review(editor, page, ids[1:], "approve")
    communicator, connected = await connect(page.pk)
    assert (await communicator.receive_json_from())["last_id"] == 3
    await communicator.send_json_to({"type": "resume", "last_id": 1})
    replay = await communicator.receive_json_from()
    assert replay["replay"] and [s["seq"] for s in replay["signatures"]] == [2, 3]
    done = await communicator.receive_json_from()
    assert done == {"type": "resume.done", "last_id": 3, "count": 3}
    await communicator.send_json_to({"type": "resume", "last_id": 3})
    assert (await communicator.receive_json_from())["type"] == "resume.done"
    await communicator.send_json_to({"type": "resume", "last_id": "7"})
    assert (await communicator.receive_json_from())["code"] == "bad_last_id"
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong", "last_id": 3, "count": 3}
    await communicator.send_json_to({"type": "sign"})
    assert (await communicator.receive_json_from())["code"] == "unknown_type"
    await communicator.disconnect()


async def test_unpublished_or_unknown_campaigns_refuse():
    page, _editor = await make_campaign()
    await sync_to_async(page.unpublish)()
    for page_id in (page.pk, 999999, "abc", "9" * 40):
        communicator, connected = await connect(page_id)
        assert not connected
