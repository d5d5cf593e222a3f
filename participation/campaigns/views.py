"""Thin views of a campaign's sub-pages (``CampaignPage`` routes): parse the request,
call a service, answer. Refusals are a message on the page with a 4xx status, never a
500; nothing is written when a check fails."""

import hashlib

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale

from participation.campaigns import presenters, services
from participation.campaigns.badge import render_badge
from participation.campaigns.forms import SignatureForm
from participation.campaigns.models import CampaignPage

BADGE_SECONDS = 300


def _client_key(request):
    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # noqa: BLE001 - no address at all: one shared bucket
        return "unknown"


def _render_page(request, page, form, status):
    context = page.get_context(request)
    context.update(presenters.campaign_context(request, page, form=form))
    return TemplateResponse(request, page.get_template(request), context, status=status)


def sign(request, page):
    page_url = page.get_url(request)
    if request.method != "POST":
        return redirect(page_url + "#firmar")
    form = SignatureForm(request.POST)
    try:
        services.check_campaign_open(page)
        services.check_sign_rate(_client_key(request))
    except services.CampaignError as error:
        form.is_valid()
        form.add_error(None, str(error))
        return _render_page(request, page, form, error.status)
    if not form.is_valid():
        return _render_page(request, page, form, 400)
    if form.is_bot:
        # Said as for a person, stored nowhere.
        messages.success(request, _("Gracias. Revisa tu correo para confirmar la firma."))
        return redirect(page_url + "#firmar")
    try:
        signature = services.do_sign(page, form.cleaned_data, user=request.user,
                                     language=get_language())
    except services.CampaignError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return _render_page(request, page, form, error.status)
    if signature.status == "confirmed":
        messages.success(request, _("Gracias: hemos recibido tu firma. El equipo editorial "
                                    "la revisará antes de publicarla."))
    else:
        messages.success(request, _("Gracias. Te hemos enviado un correo: abre el enlace "
                                    "para confirmar la firma."))
    return redirect(page_url + "#firmar")


def _token_page(request, page, template, context, status=200):
    return TemplateResponse(request, f"campaigns/{template}.html",
                            {"page": page, "self": page, **context}, status=status)


def confirm(request, page, token):
    """GET shows a button (mail scanners that open links confirm nothing); POST confirms."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        if request.method == "GET":
            signature = services._signature_from_token(
                services.original_of(page), token, services.CONFIRM_SALT,
                services.CONFIRM_MAX_AGE,
            )
            return _token_page(request, page, "confirm", {"signature": signature})
        signature = services.do_confirm(page, token)
    except services.CampaignError as error:
        return _token_page(request, page, "link_error", {"error": str(error)},
                           status=error.status)
    messages.success(request, _("Firma confirmada. El equipo editorial la revisará y te "
                                "avisaremos por correo cuando sea pública."))
    return redirect(page.get_url(request) + "#firmar")


def withdraw(request, page, token):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        if request.method == "GET":
            signature = services.signature_for_withdrawal(page, token)
            return _token_page(request, page, "withdraw", {"signature": signature})
        services.do_withdraw(page, token)
    except services.CampaignError as error:
        return _token_page(request, page, "link_error", {"error": str(error)},
                           status=error.status)
    messages.success(request, _("Has retirado tu firma. Hemos borrado tus datos de esta campaña."))
    return redirect(page.get_url(request))


def signatories(request, page):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    context = presenters.signatories_context(request, page)
    return TemplateResponse(request, "campaigns/signatories.html",
                            {"page": page, "self": page, **context})


def badge(request, slug):
    """``/campanas/<slug>/insignia.svg`` (an application route: Wagtail's page paths end
    in a slash). The same bytes for everyone in a language, so shared caches keep it;
    the ETag changes with the count, the title and the language."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    page = (
        CampaignPage.objects.live().public().filter(slug=slug, locale=Locale.get_active())
        .first()
    )
    if page is None:
        raise Http404(_("No hay ninguna campaña con esta dirección."))
    count, _seq = services.tally_of(services.original_of(page))
    body = render_badge(page.title, count, get_language()).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    matches = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in matches or "*" in matches:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={BADGE_SECONDS}"
    # Shown on partners' websites: another origin may load it as an image.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
