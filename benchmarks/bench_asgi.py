"""The project's ASGI application plus one bare Django view, for the benchmarks only.

``/bench/bare`` goes through the same Django handler and middleware as every page but
resolves against this module's URLconf, so "home / bare" isolates what rendering the
Wagtail home page costs on top of the framework itself. The project's urls.py is not
touched. Servers import it as ``bench_asgi:application`` with benchmarks/ on PYTHONPATH.
"""

from django.core.handlers.asgi import ASGIHandler
from django.http import HttpResponse
from django.urls import path
from servers import BARE_PATH

from allas_site.asgi import application as project_application


def bare_view(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(BARE_PATH.lstrip("/"), bare_view)]


class BareHandler(ASGIHandler):
    """Django's ASGI handler, but every request resolves against this module's URLconf."""

    def create_request(self, scope, body_file):
        request, error_response = super().create_request(scope, body_file)
        if request is not None:
            request.urlconf = __name__
        return request, error_response


bare_application = BareHandler()


async def application(scope, receive, send):
    if scope["type"] == "http" and scope["path"] == BARE_PATH:
        await bare_application(scope, receive, send)
    else:
        await project_application(scope, receive, send)
