"""WebSocket routes of the webinars: the live room."""

from django.urls import path

from webinars.consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/webinars/<int:webinar_id>/sala/", RoomConsumer.as_asgi()),
]
