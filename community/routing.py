"""WebSocket routes of the Café con AL-LAs."""

from django.urls import path

from community.consumers import DebateConsumer

websocket_urlpatterns = [
    path("ws/cafe/debates/<int:debate_id>/", DebateConsumer.as_asgi()),
]
