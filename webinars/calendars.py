"""iCalendar files (RFC 5545) for events: one event, the Agenda, a person's feed.

An event keeps one UID in every file and language (its ``translation_key``), and its
SEQUENCE grows whenever the editor changes its time or status, so a calendar that
imported it replaces it instead of adding a second one. A single event is sent with
``METHOD:REQUEST`` (``METHOD:CANCEL`` once cancelled), as calendar invitations are;
feeds a calendar subscribes to use ``METHOD:PUBLISH``.
"""

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from allas_site.core.navigation import absolute_url
from webinars.models import WebinarStatus

PRODID = "-//AL-LAs Campus//Agenda//ES"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def event_uid(webinar):
    host = urlsplit(settings.BASE_URL).hostname or "allas.local"
    return f"webinar-{webinar.translation_key}@{host}"


def _organizer():
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address or 'campus@allas.local'}")
    organizer.params["cn"] = vText(name or "AL-LAs Campus")
    return organizer


def _location(webinar, url):
    parts = [part for part in (webinar.venue_address, webinar.venue_city) if part]
    if parts:
        return ", ".join(parts)
    return url or ""


def event_component(webinar, *, url=None, attendee=None, now=None):
    """One VEVENT for ``webinar`` (times in UTC). ``attendee`` (a user) makes it an
    invitation the person's calendar can file."""
    url = url if url is not None else absolute_url(webinar) or ""
    cancelled = webinar.status == WebinarStatus.CANCELLED
    event = Event()
    event.add("uid", event_uid(webinar))
    event.add("sequence", webinar.sequence)
    event.add("dtstamp", now or timezone.now())
    event.add("dtstart", webinar.starts_at)
    event.add("dtend", webinar.ends_at)
    summary = webinar.title
    if cancelled:
        summary = _("Cancelado: %(title)s") % {"title": webinar.title}
    event.add("summary", summary)
    description = webinar.summary or ""
    if url:
        description = f"{description}\n\n{url}".strip()
    event.add("description", description)
    if url:
        event.add("url", url)
    location = _location(webinar, url)
    if location:
        event.add("location", location)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", _organizer())
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = vText(attendee.public_name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("ACCEPTED")
        event.add("attendee", address)
    return event


def _calendar(method, name=None):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def event_calendar(webinar, *, url=None, attendee=None, now=None):
    """The ``.ics`` of one event: an invitation, or its cancellation."""
    method = "CANCEL" if webinar.status == WebinarStatus.CANCELLED else "REQUEST"
    calendar = _calendar(method)
    calendar.add_component(event_component(webinar, url=url, attendee=attendee, now=now))
    return calendar.to_ical()


def feed_calendar(entries, *, name, now=None):
    """A subscribable feed: ``entries`` are ``(webinar, url)`` pairs."""
    calendar = _calendar("PUBLISH", name=name)
    now = now or timezone.now()
    for webinar, url in entries:
        calendar.add_component(event_component(webinar, url=url, now=now))
    return calendar.to_ical()


def filename(webinar):
    return f"{webinar.slug[:60] or 'evento'}.ics"
