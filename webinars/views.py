"""Thin views: parse the request, call a service, answer (a redirect with a message, a
calendar file). The pages themselves are Wagtail pages (``webinars.models``) whose
context comes from ``webinars.presenters``.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Locale

from allas_site.core.navigation import absolute_url, localized_path
from allas_site.core.page_cache import cache_for_anonymous
from webinars import calendars, services
from webinars.models import Registration, WebinarPage

FEED_PAST_DAYS = 180
FIELDS = ("organisation", "city", "accessibility_needs")


def _post_only(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def register(request, page):
    if (refused := _post_only(request)) is not None:
        return refused
    page_url = page.get_url(request)
    if not request.user.is_authenticated:
        return redirect_to_login(page_url)
    answers = {field: request.POST.get(field, "") for field in FIELDS}
    try:
        registration = services.do_register(request.user, page, answers)
    except services.WebinarError as error:
        messages.error(request, str(error))
        return redirect(page_url)
    if registration.is_waitlisted:
        position = services.waitlist_position(registration)
        messages.warning(request, _(
            "El evento está completo: estás en la lista de espera, en la posición "
            "%(position)s. Te avisaremos si se libera una plaza."
        ) % {"position": position})
    else:
        messages.success(request, _(
            "Te has inscrito. Te hemos enviado un correo con el evento para tu calendario."
        ))
    return redirect(page_url + "#inscripcion")


def cancel(request, page):
    if (refused := _post_only(request)) is not None:
        return refused
    page_url = page.get_url(request)
    if not request.user.is_authenticated:
        return redirect_to_login(page_url)
    try:
        services.do_cancel(request.user, page)
    except services.WebinarError as error:
        messages.error(request, str(error))
        return redirect(page_url)
    messages.success(request, _("Has cancelado tu inscripción."))
    return redirect(page_url + "#inscripcion")


def _ics_response(content, filename):
    response = HttpResponse(content, content_type=calendars.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request, page):
    """The event for a calendar: an invitation, or its cancellation."""
    original = services.original_of(page)
    # The reader's language (title, address), the original's UID and SEQUENCE.
    original.title, original.summary = page.title, page.summary
    content = calendars.event_calendar(original, url=absolute_url(page, request))
    return _ics_response(content, calendars.filename(page))


def _agenda_entries(locale, now):
    since = now - timedelta(days=FEED_PAST_DAYS)
    events = (
        WebinarPage.objects.published().filter(locale=locale, ends_at__gte=since)
        .order_by("starts_at", "pk").defer_streamfields()
    )
    return [(event, absolute_url(event)) for event in events]


@cache_for_anonymous(seconds=300)
def agenda_feed(request):
    """Every published event of the visitor's language tree, recent and upcoming."""
    locale = Locale.get_active()
    now = timezone.now()
    content = calendars.feed_calendar(
        _agenda_entries(locale, now), name=_("Agenda de AL-LAs Campus"), now=now
    )
    return _ics_response(content, "agenda-allas.ics")


def personal_feed(request, token):
    """A person's registrations (places, not the waitlist) behind a secret address.
    A malformed, unknown or revoked token is a 404 that says why."""
    user, reason = services.feed_owner(token)
    if user is None:
        return HttpResponse(reason, status=404, content_type="text/plain; charset=utf-8")
    language = user.preferred_language or translation.get_language()
    with translation.override(language):
        locale = Locale.objects.filter(language_code=language).first()
        since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
        registrations = (
            Registration.objects.for_user(user).registered()
            .filter(webinar__live=True, webinar__ends_at__gte=since)
            .select_related("webinar").order_by("webinar__starts_at")
        )
        pages = {}
        if locale is not None:
            pages = {
                page.translation_key: page
                for page in WebinarPage.objects.live().filter(
                    locale=locale,
                    translation_key__in=[r.webinar_key for r in registrations],
                ).defer_streamfields()
            }
        entries = []
        for registration in registrations:
            event = registration.webinar
            local = pages.get(event.translation_key, event)
            event.title, event.summary = local.title, local.summary
            entries.append((event, absolute_url(local)))
        content = calendars.feed_calendar(entries, name=_("Mis eventos en AL-LAs Campus"))
    response = _ics_response(content, "mis-eventos-allas.ics")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _dashboard():
    return localized_path("/mi-aprendizaje/") + "#aprendizaje-webinars"


@login_required
@require_POST
def create_calendar(request):
    services.do_create_calendar_token(request.user)
    messages.success(request, _(
        "Tu calendario personal está listo: suscríbete a él desde tu aplicación de calendario."
    ))
    return redirect(_dashboard())


@login_required
@require_POST
def revoke_calendar(request):
    services.do_revoke_calendar_tokens(request.user)
    messages.success(request, _(
        "Has revocado la dirección de tu calendario: los calendarios suscritos dejarán "
        "de actualizarse."
    ))
    return redirect(_dashboard())
