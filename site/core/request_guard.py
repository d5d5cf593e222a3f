"""Refuse NUL characters in query strings and form fields, with a 400 and a reason.

No text a person types holds U+0000, and PostgreSQL refuses it in any string ("A string
literal cannot contain NUL"), so a NUL that reached a query answered 500 on PostgreSQL
while SQLite let it through. Django's form fields already refuse it; this covers the
parameters views read directly (filters, search, pagination) in one place.
"""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


def _has_nul(query_dict):
    return any("\x00" in key or any("\x00" in value for value in values)
               for key, values in query_dict.lists())


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET):
            return HttpResponseBadRequest(
                _("La dirección contiene un carácter nulo."), content_type="text/plain"
            )
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        # After the CSRF check, which has already read the form (multipart included).
        if request.method == "POST" and _has_nul(request.POST):
            return HttpResponseBadRequest(
                _("El formulario contiene un carácter nulo."), content_type="text/plain"
            )
        return None
