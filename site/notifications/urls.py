from django.urls import path

from allas_site.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("leidas/", views.mark_all_read, name="mark_all_read"),
]
