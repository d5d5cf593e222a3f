"""ASGI entry point: HTTP through Django, WebSockets through Channels.

Django's ASGI application is created first so the app registry is ready before any
consumer (and the models it imports) is loaded.
"""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allas_site.settings.production")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from allas_site.routing import websocket_urlpatterns  # noqa: E402
from allas_site.socket_reads import member_auth_stack  # noqa: E402
from allas_site.websocket_origin import SameOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # The exact origin (scheme, host, port), not just an allowed host.
        "websocket": SameOriginValidator(
            member_auth_stack(URLRouter(websocket_urlpatterns))
        ),
    }
)

if os.environ.get("ASGI_GC_TUNING", "1") != "0":
    # Everything loaded so far (Django, Wagtail, the apps: several hundred thousand
    # objects) lives as long as the process. Frozen, it is no longer walked by every
    # full collection, which otherwise paused the event loop in the middle of a
    # fan-out. The collector's thresholds stay Python's own: raised tenfold they let
    # cyclic garbage pile up between collections, +30 MB per loaded process.
    # ASGI_GC_TUNING=0: no freeze either.
    gc.collect()
    gc.freeze()
