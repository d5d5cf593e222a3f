from django.urls import path

from allas_site.notifications.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notificaciones/", NotificationConsumer.as_asgi()),
]
