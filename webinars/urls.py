from django.urls import path

from webinars import views

app_name = "webinars"

# Per-event routes (registration, cancellation, .ics) are sub-pages of each event page
# (``WebinarPage``), so they follow the page into every language's tree.
urlpatterns = [
    path("webinars/agenda.ics", views.agenda_feed, name="agenda_feed"),
    path("webinars/calendario/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("webinars/calendario/nuevo/", views.create_calendar, name="create_calendar"),
    path("webinars/calendario/revocar/", views.revoke_calendar, name="revoke_calendar"),
]
