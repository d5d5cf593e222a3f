"""Thin views of the after-the-event part: the attendee's certificate."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from webinars import certificates
from webinars.services import WebinarError


def certificate(request, page):
    """POST: issue (or find) the attendee's participation certificate and take them
    to it; a refusal comes back to the event page with its reason."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    page_url = page.get_url(request) or "/"
    if not request.user.is_authenticated:
        return redirect_to_login(page_url)
    try:
        certificate, created = certificates.do_issue_participation_certificate(
            request.user, page)
    except WebinarError as error:
        messages.error(request, str(error))
        return redirect(page_url + "#archivo")
    if created:
        messages.success(request, _("Tu certificado de participación está listo."))
    else:
        messages.info(request, _("Ya tenías este certificado: aquí lo tienes."))
    return redirect(certificate.get_absolute_url())
