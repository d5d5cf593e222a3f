"""Every WebSocket route of the platform; each app contributes its own patterns."""

from allas_site.notifications.routing import websocket_urlpatterns as notification_routes
from community.routing import websocket_urlpatterns as cafe_routes
from participation.campaigns.routing import websocket_urlpatterns as campaign_routes
from participation.consultations.routing import websocket_urlpatterns as consultation_routes
from webinars.routing import websocket_urlpatterns as webinar_routes

websocket_urlpatterns = [
    *notification_routes,
    *cafe_routes,
    *webinar_routes,
    *campaign_routes,
    *consultation_routes,
]
