"""The Agenda and event pages: order, filters, languages, caching, query counts."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from allas_site.topics.models import Topic
from tests import factories as people
from tests.webinars import factories
from webinars import presenters, services
from webinars.models import WebinarFormat, WebinarSeries, WebinarStatus


def _titles(response, key):
    return [event.title for event in response.context[key]]


def test_upcoming_first_soonest_first_then_past_newest_first(client, agenda):
    later = factories.webinar(agenda, title="Más tarde", starts_in=timedelta(days=9))
    sooner = factories.webinar(agenda, title="Antes", starts_in=timedelta(days=2))
    old = factories.webinar(agenda, title="Hace tiempo", starts_in=-timedelta(days=30))
    recent = factories.webinar(agenda, title="Reciente", starts_in=-timedelta(days=3),
                               recording_embed_url="http://127.0.0.1:8000/static/x.html")
    response = client.get(agenda.url)
    assert response.status_code == 200
    assert _titles(response, "upcoming") == [sooner.title, later.title]
    assert _titles(response, "past") == [recent.title, old.title]
    html = response.content.decode()
    assert html.index("Antes") < html.index("Reciente")
    assert html.count("Grabación disponible") == 1


def test_filters_by_format_topic_language_and_month(client, agenda, home_page):
    topic = Topic.objects.create(name="Redes", slug="redes", locale=home_page.locale)
    in_person = factories.webinar(agenda, format=WebinarFormat.IN_PERSON,
                                  languages=["es", "pt"])
    in_person.topics.add(topic)
    in_person.save_revision().publish()
    online = factories.webinar(agenda, starts_in=timedelta(days=40), languages=["fr"])
    assert _titles(client.get(agenda.url, {"formato": "presencial"}), "upcoming") == [
        in_person.title]
    assert _titles(client.get(agenda.url, {"tema": "redes"}), "upcoming") == [in_person.title]
    assert _titles(client.get(agenda.url, {"idioma": "fr"}), "upcoming") == [online.title]
    month = timezone.localtime(online.starts_at).strftime("%Y-%m")
    assert online.title in _titles(client.get(agenda.url, {"mes": month}), "upcoming")


@pytest.mark.parametrize("params", [
    {"formato": "zoom"}, {"tema": "no-existe"}, {"idioma": "xx"}, {"mes": "2026-13"},
    {"mes": "abc"}, {"pagina": "999999999999999999999"}, {"mes": ["2026-01", "x"]},
])
def test_unknown_filter_values_are_dropped(client, agenda, params):
    factories.webinar(agenda)
    response = client.get(agenda.url, params)
    assert response.status_code == 200
    assert len(response.context["upcoming"]) == 1


def test_the_agenda_exists_in_every_language(client, agenda):
    webinar = factories.webinar(agenda)
    for prefix in ("/en", "/fr", "/pt"):
        response = client.get(prefix + agenda.url)
        assert response.status_code == 200
        [card] = response.context["upcoming"]
        assert card.url_in_agenda == f"{prefix}{webinar.url}"
        assert client.get(card.url_in_agenda).status_code == 200


def _captured(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # per-process memos (site root, fragments) are warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def _fill_agenda(agenda, count, start, series, *, bulk, step=timedelta(hours=7)):
    """``count`` more events, every other one with a registration. The first ten go
    through the editors' path (revisions, aliases); the bulk ones are the same rows
    written in a few statements (``factories.bulk_webinars``)."""
    if not bulk:
        for number in range(count):
            webinar = factories.webinar(agenda, starts_at=start + step * number,
                                        capacity=3, series=series)
            if number % 2:
                factories.bulk_registrations(webinar, [people.learner()])
        return
    events = factories.bulk_webinars(agenda, count, start=start, step=step, capacity=3,
                                     series=series)
    takers = iter(factories.bulk_people(count // 2 + 1))
    for webinar in events[1::2]:
        factories.bulk_registrations(webinar, [next(takers)])


@pytest.mark.parametrize("logged_in", [False, True])
def test_the_agenda_costs_the_same_queries_with_10_and_500_events(
    client, home_page, settings, logged_in
):
    import time

    settings.PAGE_CACHE_SECONDS = 0
    agenda = factories.agenda(home_page)
    if logged_in:
        client.force_login(people.learner())
    series, _created = WebinarSeries.objects.get_or_create(
        slug="ciclo", locale=agenda.locale, defaults={"name": "Ciclo"})
    # Past and upcoming events in both sets, so both lists and the pagination work.
    now = timezone.now().replace(second=0, microsecond=0)
    _fill_agenda(agenda, 10, now - timedelta(days=2), series, bulk=False,
                 step=timedelta(hours=10))
    small, response = _captured(client, agenda.url)
    assert response.context["upcoming"] and response.context["past"]
    began = time.monotonic()
    _fill_agenda(agenda, 490, now - timedelta(days=60), series, bulk=True)  # 500 in all
    built = time.monotonic() - began
    large, response = _captured(client, agenda.url)
    assert len(response.context["upcoming"]) == presenters.UPCOMING_SHOWN
    assert response.context["page_obj"].paginator.count > 200
    assert small == large <= 24  # two lists (upcoming, past), three queries each
    print(f"agenda queries ({'member' if logged_in else 'visitor'}): 10 events {small}, "
          f"500 events {large} (490 built in {built:.1f} s)")


def test_the_event_page_costs_the_same_queries_with_5_and_1000_registrants(
    client, agenda, learner, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    webinar = factories.webinar(agenda, capacity=500)
    services.do_register(learner, webinar)
    client.force_login(learner)
    factories.bulk_registrations(webinar, factories.bulk_people(4))
    small, _response = _captured(client, webinar.url)
    crowd = factories.bulk_people(995)
    factories.bulk_registrations(webinar, crowd[:495])
    factories.bulk_registrations(webinar, crowd[495:], status="waitlisted")
    large, response = _captured(client, webinar.url)
    assert (response.context["registered_count"], response.context["waiting_count"]) == (
        500, 500)
    assert small == large
    print(f"event page queries: 5 registrants {small}, 1000 registrants {large}")


def test_the_anonymous_agenda_is_cached(client, agenda, django_assert_num_queries):
    factories.webinar(agenda)
    first = client.get(agenda.url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(agenda.url)
    assert second["X-Page-Cache"] == "hit"


def test_the_event_page_for_a_visitor(client, agenda, editor):
    series = WebinarSeries.objects.create(name="Ciudades que aprenden", slug="cqa",
                                          locale=agenda.locale)
    webinar = factories.webinar(agenda, series=series, capacity=10, moderator=editor,
                                venue_city="Montevideo", venue_address="Luis Piera 1992",
                                format=WebinarFormat.HYBRID,
                                join_url="https://meet.example.org/secret")
    html = client.get(webinar.url).content.decode()
    assert "Ciudades que aprenden" in html and "Montevideo" in html
    assert "Entra para inscribirte" in html
    assert "meet.example.org/secret" not in html
    assert "Quedan 10 plazas" in html
    assert "Bruselas" in html and "São Paulo" in html
    assert 'data-local="datetime"' in html


def test_the_event_page_for_a_registered_person_near_the_start(client, agenda, learner):
    webinar = factories.webinar(agenda, starts_in=timedelta(minutes=20),
                                join_url="https://meet.example.org/secret")
    services.do_register(learner, webinar)
    client.force_login(learner)
    html = client.get(webinar.url).content.decode()
    assert "https://meet.example.org/secret" in html
    assert "Cancelar mi inscripción" in html


def test_registering_and_cancelling_through_the_page(client, agenda, learner):
    webinar = factories.webinar(agenda, capacity=1, ask_organisation=True)
    client.force_login(learner)
    assert client.get(webinar.url + "inscripcion/").status_code == 405
    response = client.post(webinar.url + "inscripcion/", {"organisation": "Quito"})
    assert response.status_code == 302
    assert services.active_registration(learner, webinar).organisation == "Quito"
    again = client.post(webinar.url + "inscripcion/", follow=True)
    assert "Ya estás inscrito" in again.content.decode()
    other = people.learner()
    client.force_login(other)
    html = client.get(webinar.url).content.decode()
    assert "Apuntarme a la lista de espera" in html
    client.post(webinar.url + "inscripcion/")
    html = client.get(webinar.url).content.decode()
    assert "en la posición 1" in html
    client.force_login(learner)
    client.post(webinar.url + "cancelar/")
    assert services.active_registration(other, webinar).is_registered


def test_an_anonymous_post_is_sent_to_log_in(client, webinar):
    response = client.post(webinar.url + "inscripcion/")
    assert response.status_code == 302 and "/cuentas/login/" in response["Location"]


def test_a_cancelled_event_page_says_so(client, agenda):
    webinar = factories.webinar(agenda, status=WebinarStatus.CANCELLED)
    assert "Este evento se ha cancelado" in client.get(webinar.url).content.decode()


def test_other_cities_across_a_daylight_saving_change():
    # Europe leaves summer time on 25 October 2026; most of Latin America has none.
    before = datetime(2026, 10, 20, 15, 0, tzinfo=UTC)
    after = datetime(2026, 10, 27, 15, 0, tzinfo=UTC)
    rows_before = {row.zone: row for row in presenters.city_times(before, before)}
    rows_after = {row.zone: row for row in presenters.city_times(after, after)}
    assert rows_before["Europe/Madrid"].starts_at.hour == 17
    assert rows_after["Europe/Madrid"].starts_at.hour == 16
    assert rows_before["Europe/Madrid"].offset == "UTC+2"
    assert rows_after["Europe/Brussels"].offset == "UTC+1"
    for zone in ("America/Mexico_City", "America/Bogota", "America/Sao_Paulo"):
        assert rows_before[zone].starts_at.hour == rows_after[zone].starts_at.hour
    assert rows_after["America/Bogota"].starts_at.hour == 10
    assert rows_after["America/Argentina/Buenos_Aires"].offset == "UTC−3"


def test_a_city_on_the_next_day_is_marked():
    late = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 17:30 in Mexico City
    rows = {row.zone: row for row in presenters.city_times(late, late)}
    assert rows["Europe/Paris"].day_shift == 1 and rows["America/Bogota"].day_shift == 0


def test_my_learning_lists_places_waitlist_positions_and_attendance(client, agenda, learner):
    upcoming = factories.webinar(agenda, title="Próximo")
    full = factories.webinar(agenda, title="Lleno", capacity=1)
    services.do_register(people.learner(), full)
    services.do_register(learner, upcoming)
    services.do_register(learner, full)
    past = factories.webinar(agenda, title="Pasado", starts_in=-timedelta(days=5))
    services.do_import_registration(learner, past, created_at=past.starts_at,
                                    attended_at=past.starts_at)
    client.force_login(learner)
    html = client.get("/mi-aprendizaje/").content.decode()
    assert "Próximo" in html and "Lleno" in html and "Pasado" in html
    assert "posición 1" in html and "Asististe" in html
    assert "Crear mi calendario" in html


def test_the_home_page_shows_the_next_events(client, agenda, home_page):
    factories.webinar(agenda, title="Webinar en portada")
    assert "Webinar en portada" in client.get("/").content.decode()
