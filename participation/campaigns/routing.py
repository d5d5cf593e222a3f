"""WebSocket routes of the campaigns: the live counter."""

from django.urls import path

from participation.campaigns.consumers import CampaignCounterConsumer

websocket_urlpatterns = [
    path("ws/campanas/<str:page_id>/", CampaignCounterConsumer.as_asgi()),
]
