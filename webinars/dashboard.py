"""The webinars section of ``/mi-aprendizaje/``: upcoming places and waitlist
positions, past events (attended or not, with their recording) and the personal
calendar feed. A fixed number of queries whatever the number of registrations."""

from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from allas_site.core.navigation import absolute_url, localized_path
from webinars import services
from webinars.models import Registration, RegistrationStatus, WebinarPage

PAST_SHOWN = 20


def dashboard_context(request, now=None):
    now = now or timezone.now()
    user = request.user
    registrations = list(
        Registration.objects.for_user(user)
        .filter(webinar__live=True)
        .exclude(status=RegistrationStatus.CANCELLED, attended_at__isnull=True)
        .select_related("webinar").order_by("webinar__starts_at", "pk")
    )
    # Each event in the visitor's language tree (translation or alias), whichever
    # language the person registered in.
    local = {
        page.translation_key: page
        for page in WebinarPage.objects.live().filter(
            locale=Locale.get_active(),
            translation_key__in=[r.webinar_key for r in registrations],
        ).defer_streamfields()
    } if registrations else {}
    positions = services.waitlist_positions(registrations)
    upcoming, past = [], []
    for registration in registrations:
        event = registration.webinar
        page = local.get(registration.webinar_key, event)
        entry = {
            "registration": registration,
            "event": event,
            "title": page.title,
            "url": page.url,
            "position": positions.get(registration.pk),
            "live_now": not event.is_cancelled and event.is_live(now),
        }
        if event.is_past(now):
            if registration.attended_at or registration.is_registered:
                past.append(entry)
        elif registration.is_active:
            upcoming.append(entry)
    past.reverse()
    token = services.valid_calendar_token(user)
    feed = None
    if token is not None:
        path = reverse("webinars:personal_feed", kwargs={"token": token.token})
        url = absolute_url(path)
        feed = {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}
    return {
        "upcoming": upcoming,
        "past": past[:PAST_SHOWN],
        "feed": feed,
        "create_url": reverse("webinars:create_calendar"),
        "revoke_url": reverse("webinars:revoke_calendar"),
        "agenda_url": localized_path("/webinars/"),
    }
