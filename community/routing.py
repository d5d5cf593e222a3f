"""WebSocket routes of the Café con AL-LAs."""

websocket_urlpatterns = []
