"""Application routes; the Wagtail page tree serves the pages themselves."""

from django.urls import path

from participation.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("campanas/<slug:slug>/insignia.svg", views.badge, name="badge"),
]
