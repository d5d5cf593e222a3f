"""The project's URLs plus views that fail the way an outage makes them fail."""

import redis
from django.db import IntegrityError, OperationalError, connection
from django.http import HttpResponse
from django.urls import path

from allas_site import urls as project_urls


def database_gone(request):
    if connection.vendor == "sqlite":
        raise OperationalError("database is locked")  # the embedded default's only outage
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def redis_gone(request):
    raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379")


def plain_bug(request):
    raise IntegrityError("duplicate key value violates unique constraint")


def writes_session(request):
    request.session["seen"] = True
    return HttpResponse("ok")


SERVED = []


def fine(request):
    SERVED.append(request.path)
    return HttpResponse("ok")


handler500 = project_urls.handler500
urlpatterns = [
    path("fallo/base-de-datos/", database_gone),
    path("fallo/redis/", redis_gone),
    path("fallo/error/", plain_bug),
    path("fallo/sesion/", writes_session),
    path("fallo/bien/", fine),
    *project_urls.urlpatterns,
]
