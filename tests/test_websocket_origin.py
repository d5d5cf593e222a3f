"""A socket opens only from the site's own origin: scheme, host and port all match."""

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

from allas_site.asgi import application
from allas_site.websocket_origin import origin_allowed
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def scope(origin, host="127.0.0.1:8000", scheme="ws"):
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    return {"type": "websocket", "scheme": scheme, "headers": headers}


@pytest.mark.parametrize(
    ("origin", "host", "scheme", "allowed"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", "ws", True),
        ("http://127.0.0.1:9999", "127.0.0.1:8000", "ws", False),  # another port
        ("https://localhost", "localhost", "ws", False),  # another scheme
        ("http://localhost", "localhost", "ws", True),
        ("http://localhost:80", "localhost", "ws", True),  # the default port, spelt out
        ("https://campus.example", "campus.example", "wss", True),  # behind a TLS proxy
        ("http://campus.example", "campus.example", "wss", False),
        ("http://evil.example", "evil.example", "ws", False),  # not an allowed host
        ("null", "127.0.0.1:8000", "ws", False),
        ("http://127.0.0.1:8000/path", "127.0.0.1:8000", "ws", False),
        ("http://user@127.0.0.1:8000", "127.0.0.1:8000", "ws", False),
        (None, "127.0.0.1:8000", "ws", False),
    ],
)
def test_exact_origins_only(settings, origin, host, scheme, allowed):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "campus.example"]
    settings.BASE_URL = "https://campus.example"
    settings.CSRF_TRUSTED_ORIGINS = []
    assert origin_allowed(scope(origin, host, scheme)) is allowed


def test_configured_public_address_and_trusted_origins(settings):
    settings.ALLOWED_HOSTS = ["web"]
    settings.BASE_URL = "https://campus.allas.org"
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.allas.org"]
    for origin in ("https://campus.allas.org", "https://www.allas.org:443"):
        assert origin_allowed(scope(origin, host="web:8000"))
    assert not origin_allowed(scope("https://evil.allas.org", host="web:8000"))


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("origin", "opens"),
    [("http://testserver", True), ("http://testserver:9999", False),
     ("https://testserver", False)],
)
async def test_a_signed_in_members_socket_from_another_origin_is_refused(origin, opens):
    from asgiref.sync import sync_to_async

    @sync_to_async
    def cookie():
        client = Client()
        client.force_login(factories.learner())
        return f"sessionid={client.cookies['sessionid'].value}"

    headers = [(b"host", b"testserver"), (b"origin", origin.encode()),
               (b"cookie", (await cookie()).encode())]
    communicator = WebsocketCommunicator(application, "/ws/notificaciones/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected is opens
    await communicator.disconnect()
