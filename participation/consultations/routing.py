"""WebSocket routes of the consultations: the live results."""

from django.urls import path

from participation.consultations.consumers import ResultsConsumer

websocket_urlpatterns = [
    path("ws/consultas/<int:consultation_id>/resultados/", ResultsConsumer.as_asgi()),
]
