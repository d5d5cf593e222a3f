"""What the Agenda and event pages show, computed in Python with a fixed number of
queries whatever the number of events or registrants (pinned in tests).

Page models and views both import this module (never the other way round), so the
page classes do not reach into the views.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from allas_site.accounts.time_zones import NETWORK_ZONES
from allas_site.core.navigation import localized_path
from allas_site.core.page_tree import with_content_language
from allas_site.topics.models import Topic
from webinars import services
from webinars.models import (
    Registration,
    WebinarFormat,
    WebinarPage,
    WebinarSeries,
    WebinarStatus,
)

# The network's capitals, west to east, for "see in other cities" (the same list
# opens the profile's zone select).
CITY_ZONES = NETWORK_ZONES
MONTH = re.compile(r"(?P<year>20[0-9]{2})-(?P<month>0[1-9]|1[0-2])")
UPCOMING_SHOWN = 50


# --- Times ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CityTime:
    city: str
    zone: str
    starts_at: datetime
    ends_at: datetime
    day_shift: int  # days ahead (+1) or behind (-1) of the event's day in the visitor's zone
    offset: str  # "UTC−3"


def _offset_label(value):
    offset = value.utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def city_times(starts_at, ends_at, reference_zone=None):
    """The event's start and end in each capital, with its UTC offset on that day
    (zoneinfo knows each city's daylight-saving rules, so the same event can be 5 h
    apart from Madrid in March and 4 h in April)."""
    reference = timezone.localtime(starts_at, reference_zone or
                                   timezone.get_current_timezone()).date()
    rows = []
    for city, zone_name in CITY_ZONES:
        zone = ZoneInfo(zone_name)
        start = starts_at.astimezone(zone)
        rows.append(CityTime(
            city=str(city), zone=zone_name, starts_at=start, ends_at=ends_at.astimezone(zone),
            day_shift=(start.date() - reference).days, offset=_offset_label(start),
        ))
    return rows


# --- The Agenda ----------------------------------------------------------------------------


def _choice(value, allowed):
    return value if isinstance(value, str) and value in allowed else ""


def parse_filters(params, topic_slugs):
    """The Agenda's filters from the query string; unknown values are dropped."""
    month = params.get("mes", "")
    match = MONTH.fullmatch(month) if isinstance(month, str) else None
    return {
        "formato": _choice(params.get("formato", ""), set(WebinarFormat.values)),
        "tema": _choice(params.get("tema", ""), topic_slugs),
        "idioma": _choice(params.get("idioma", ""), {code for code, _n in settings.LANGUAGES}),
        "mes": month if match else "",
    }


def filter_events(queryset, filters):
    if filters["formato"]:
        queryset = queryset.filter(format=filters["formato"])
    if filters["tema"]:
        queryset = queryset.filter(topics__slug=filters["tema"]).distinct()
    if filters["idioma"]:
        queryset = queryset.filter(languages__contains=f",{filters['idioma']},")
    if filters["mes"]:
        year, month = (int(part) for part in filters["mes"].split("-"))
        zone = timezone.get_current_timezone()
        start = datetime(year, month, 1, tzinfo=zone)
        end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
        queryset = queryset.filter(starts_at__gte=start, starts_at__lt=end)
    return queryset


def agenda_events(index):
    """The events of ``index``'s tree (translations first, aliases with their own
    language), with what a card needs."""
    return (
        with_content_language(WebinarPage.objects.child_of(index).published())
        .select_related("series")
        .prefetch_related("topics")
        .defer_streamfields()
    )


def _localized_series(series):
    """``{series pk: the series in the active language}``, one query for all."""
    if not series:
        return {}
    locale = Locale.get_active()
    local = {
        row.translation_key: row
        for row in WebinarSeries.objects.filter(
            locale=locale, translation_key__in=[item.translation_key for item in series])
    }
    return {item.pk: local.get(item.translation_key, item) for item in series}


def decorate_cards(request, events, index_url, now):
    """Give each event its URL, its state for the visitor and its places, in three
    queries for the whole list."""
    events = list(events)
    keys = [event.translation_key for event in events]
    counts = services.registration_counts(keys) if keys else {}
    mine = {}
    if request.user.is_authenticated and keys:
        mine = {
            r.webinar_key: r
            for r in Registration.objects.for_user(request.user).active()
            .filter(webinar_key__in=keys)
        }
    series = _localized_series({event.series for event in events if event.series_id})
    for event in events:
        if event.series_id:
            event.series_name = series.get(event.series_id, event.series).name
        registered, waiting = counts.get(event.translation_key, (0, 0))
        event.url_in_agenda = f"{index_url}{event.slug}/"
        event.registration = mine.get(event.translation_key)
        event.places_left = services.places_left(event, registered)
        event.is_full = event.places_left == 0
        event.waiting_count = waiting
        event.past = event.is_past(now)
        event.live_now = not event.is_cancelled and event.is_live(now)
    return events


def month_choices(now, months=12):
    """The next twelve months and the last twelve, newest first, as (value, label)."""
    local = timezone.localtime(now)
    choices = []
    for delta in range(months, -months - 1, -1):
        index = local.year * 12 + local.month - 1 + delta
        year, month = divmod(index, 12)
        choices.append((f"{year}-{month + 1:02d}", f"{MONTHS[month + 1]} {year}"))
    return choices


def agenda_context(request, index, now=None):
    now = now or timezone.now()
    events = agenda_events(index)
    topic_slugs = set(
        Topic.objects.filter(webinars__in=events.values("pk"))
        .values_list("slug", flat=True).distinct()
    )
    filters = parse_filters(request.GET, topic_slugs)
    chosen = filter_events(events, filters)
    index_url = index.get_url(request) or localized_path("/webinars/")
    upcoming = decorate_cards(
        request,
        chosen.upcoming(now).order_by("starts_at", "pk")[:UPCOMING_SHOWN],
        index_url, now,
    )
    paginator = Paginator(chosen.past(now).order_by("-starts_at", "-pk"), index.page_size)
    page_obj = paginator.get_page(request.GET.get("pagina"))
    past = decorate_cards(request, page_obj.object_list, index_url, now)
    active = {key: value for key, value in filters.items() if value}
    topics = Topic.objects.in_locale(index.locale).filter(slug__in=topic_slugs)
    return {
        "upcoming": upcoming,
        "past": past,
        "page_obj": page_obj,
        "filters": filters,
        "filters_active": bool(active),
        "page_query": urlencode(active),
        "formats": WebinarFormat.choices,
        "topics": sorted(topics, key=lambda topic: topic.name.lower()),
        "languages": settings.LANGUAGES,
        "months": month_choices(now),
        "agenda_feed_url": localized_path("/webinars/agenda.ics"),
        "agenda_webcal_url": webcal(localized_path("/webinars/agenda.ics")),
    }


def webcal(path):
    """``webcal://host/path``: calendar apps subscribe to it instead of downloading."""
    from allas_site.core.navigation import absolute_url

    url = absolute_url(path)
    return "webcal://" + url.split("://", 1)[1]


# --- An event ------------------------------------------------------------------------------


def action_for(user, event, registration, now):
    """What the registration box offers: one word the template switches on."""
    if event.is_cancelled:
        return "cancelled"
    if registration is not None:
        return "waitlisted" if registration.is_waitlisted else "registered"
    if event.is_past(now):
        return "past"
    try:
        services.check_event_open(event, now)
    except services.WebinarError as error:
        return error.code  # "not_open" or "closed"
    if not user.is_authenticated:
        return "login"
    return "register"


def speakers_of(page):
    return list(page.speakers.select_related("member").order_by("sort_order", "pk"))


def documents_of(page):
    return list(page.documents.select_related("document").order_by("sort_order", "pk"))


def related_links(page):
    """The Cuaderno, course and Café debate the editor linked, as (label, title, url)."""
    links = []
    if page.related_publication_id and page.related_publication.live:
        links.append((_("Cuaderno"), page.related_publication.title,
                      page.related_publication.url))
    if page.related_course_id and page.related_course.live:
        links.append((_("Curso"), page.related_course.title, page.related_course.url))
    debate = page.related_debate if page.related_debate_id else None
    if debate is not None and hasattr(debate, "get_absolute_url"):
        links.append((_("Debate del Café"), debate.title, debate.get_absolute_url()))
    return links


def room_url(page, page_url, registration, now):
    """The live room (``sala/``, built by the live-room part) for a registered person
    while it is open; ``None`` while that route does not exist."""
    from django.urls import NoReverseMatch

    if registration is None or not registration.is_registered or page.is_cancelled:
        return None
    if not page.starts_at - services.JOIN_LINK_LEAD <= now <= page.ends_at:
        return None
    try:
        return page_url + page.reverse_subpage("room").lstrip("/")
    except NoReverseMatch:
        return None


def webinar_context(request, page, now=None):
    now = now or timezone.now()
    user = request.user
    registration = services.active_registration(user, page)
    counts = services.registration_counts([page.translation_key])
    registered, waiting = counts.get(page.translation_key, (0, 0))
    position = services.waitlist_position(registration) if registration else None
    page_url = page.get_url(request) or ""
    topics = Topic.objects.localized_for(page.topics.all())
    series = page.series
    if series is not None:
        series = series.get_translation_or_none(Locale.get_active()) or series
    action = action_for(user, page, registration, now)
    return {
        "event": page,
        "registration": registration,
        "waitlist_position": position,
        "registered_count": registered,
        "waiting_count": waiting,
        "places_left": services.places_left(page, registered),
        "action": action,
        "needs_verification": action == "register" and not services.has_verified_email(user),
        "asks_questions": page.ask_organisation or page.ask_city or page.ask_accessibility,
        "show_join_link": services.join_link_visible(page, registration, now),
        "room_url": room_url(page, page_url, registration, now),
        "join_opens_at": page.starts_at - services.JOIN_LINK_LEAD,
        "is_past": page.is_past(now),
        "is_live": not page.is_cancelled and page.is_live(now),
        "city_times": city_times(page.starts_at, page.ends_at),
        "speakers": speakers_of(page),
        "documents": documents_of(page),
        "related_links": related_links(page),
        "event_topics": topics,
        "series": series,
        "language_names": page.languages,
        "ics_url": page_url + "calendario/",
        "register_url": page_url + "inscripcion/",
        "cancel_url": page_url + "cancelar/",
        "login_url": f"{localized_path('/cuentas/login/')}?{urlencode({'next': page_url})}",
        "status_scheduled": WebinarStatus.SCHEDULED,
    }
