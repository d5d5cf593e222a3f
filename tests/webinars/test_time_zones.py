"""The member's time zone: chosen in the profile, used by the Agenda, the event page and
the e-mails without JavaScript; the browser's zone only when none is chosen."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from allas_site.accounts import time_zones
from allas_site.accounts.forms import ProfileForm
from tests import factories as people
from tests.webinars import factories
from webinars import services

pytestmark = pytest.mark.django_db

# Europe changes to summer time on 29 March 2026; Mexico City keeps UTC−6 all year.
BEFORE_DST = datetime(2026, 3, 27, 15, 0, tzinfo=UTC)  # Madrid 16:00 (UTC+1)
AFTER_DST = datetime(2026, 3, 30, 15, 0, tzinfo=UTC)  # Madrid 17:00 (UTC+2)


def _profile(**overrides):
    return {"display_name": "Lucía Pérez", "preferred_language": "es", **overrides}


def _with_zone(user, name):
    user.time_zone = name
    user.save(update_fields=["time_zone"])
    return user


def test_the_profile_form_saves_a_zone(client, learner):
    client.force_login(learner)
    response = client.post(reverse("accounts:profile_edit"),
                           _profile(time_zone="America/Montevideo"))
    assert response.status_code == 302, response.context["form"].errors
    learner.refresh_from_db()
    assert learner.time_zone == "America/Montevideo"
    # Blank again: back to the browser's zone.
    client.post(reverse("accounts:profile_edit"), _profile(time_zone=""))
    learner.refresh_from_db()
    assert learner.time_zone == ""


@pytest.mark.parametrize("value", ["Mars/Olympus_Mons", "Europe/Madrid\x00", "x" * 200,
                                   "US/Eastern"])
def test_an_unknown_zone_is_a_form_error_and_changes_nothing(client, learner, value):
    _with_zone(learner, "Europe/Paris")
    client.force_login(learner)
    response = client.post(reverse("accounts:profile_edit"), _profile(time_zone=value))
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "time_zone" in response.context["form"].errors
    learner.refresh_from_db()
    assert learner.time_zone == "Europe/Paris"


def test_the_model_refuses_an_unknown_zone(learner):
    learner.time_zone = "Atlantis/Capital"
    with pytest.raises(ValidationError) as refused:
        learner.full_clean()
    assert "time_zone" in refused.value.message_dict


def test_the_select_offers_the_network_capitals_first(learner):
    field = ProfileForm(instance=learner).fields["time_zone"]
    groups = [choice for choice in field.choices if isinstance(choice[1], list | tuple)]
    capitals = [value for value, _label in groups[0][1]]
    assert capitals[0] == "America/Mexico_City" and "Europe/Brussels" in capitals
    every = {value for _group, items in groups for value, _label in items}
    assert "Asia/Tokyo" in every and "UTC" in every
    assert "US/Eastern" not in every  # legacy aliases are not offered
    assert every <= time_zones.known_zones()


def test_the_agenda_shows_the_member_zone_without_javascript(client, agenda, learner):
    factories.webinar(agenda, title="Antes del cambio", starts_at=BEFORE_DST)
    client.force_login(_with_zone(learner, "Europe/Madrid"))
    with _frozen(datetime(2026, 3, 1, tzinfo=UTC)):
        html = client.get(agenda.url).content.decode()
    assert "16:00" in html and "09:00" not in html
    assert "data-local=" not in html  # nothing left for the script to rewrite
    assert "Europe/Madrid (la de tu perfil)" in html
    assert "data-visitor-zone" not in html


def test_without_a_profile_zone_the_browser_rewrites_the_site_zone(client, agenda, learner):
    factories.webinar(agenda, title="Antes del cambio", starts_at=BEFORE_DST)
    client.force_login(learner)
    with _frozen(datetime(2026, 3, 1, tzinfo=UTC)):
        html = client.get(agenda.url).content.decode()
    assert "09:00" in html  # Mexico City, the site's zone
    assert 'data-local="datetime"' in html and "data-visitor-zone" in html


@pytest.mark.parametrize(("starts_at", "madrid", "offset_day"), [
    (BEFORE_DST, "16:00", "27 de marzo"),
    (AFTER_DST, "17:00", "30 de marzo"),
])
def test_the_event_page_in_the_member_zone_across_a_dst_change(
        client, agenda, learner, starts_at, madrid, offset_day):
    event = factories.webinar(agenda, starts_at=starts_at)
    client.force_login(_with_zone(learner, "Europe/Madrid"))
    with _frozen(datetime(2026, 3, 1, tzinfo=UTC)):
        html = client.get(event.url).content.decode()
    hero = html.split('class="event-hero__when"', 1)[1].split("</p>", 1)[0]
    assert madrid in hero and offset_day in hero
    assert "data-local=" not in hero


def test_a_late_event_is_on_the_next_day_for_a_member_in_europe(client, agenda, learner):
    # 17:30 in Mexico City is 00:30 the next day in Madrid: the table is read from there.
    event = factories.webinar(agenda, starts_at=datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
    client.force_login(_with_zone(learner, "Europe/Madrid"))
    with _frozen(datetime(2026, 3, 1, tzinfo=UTC)):
        response = client.get(event.url)
    rows = {row.zone: row for row in response.context["city_times"]}
    assert rows["Europe/Paris"].day_shift == 0
    assert rows["America/Mexico_City"].day_shift == -1


def test_e_mails_use_the_recipient_zone_and_the_ics_stays_in_utc(agenda, learner,
                                                                    run_on_commit):
    event = factories.webinar(agenda, starts_at=AFTER_DST, capacity=1)
    _with_zone(learner, "Europe/Madrid")
    waiting = people.learner()  # no zone: the site's
    with _frozen(datetime(2026, 3, 1, tzinfo=UTC)):
        with run_on_commit():
            services.do_register(learner, event)
        with run_on_commit():
            services.do_register(waiting, event)
        confirmation = mail.outbox[-2]
        assert confirmation.to == [learner.email]
        assert "de 17:00 a 18:00" in confirmation.body
        ics = Calendar.from_ical(confirmation.attachments[0][1])
        start = ics.walk("VEVENT")[0].decoded("dtstart")
        assert start == AFTER_DST and start.utcoffset().total_seconds() == 0
        mail.outbox.clear()
        # The Madrid member cancels inside a request in their zone; the promoted
        # person's e-mail is still in theirs.
        with timezone.override(time_zones.zone_of(learner)), run_on_commit():
            services.do_cancel(learner, event)
    promoted = next(message for message in mail.outbox if message.to == [waiting.email])
    assert "de 09:00 a 10:00" in promoted.body


class _frozen:
    """``timezone.now()`` fixed (the pages compare with it); the clock of the tests."""

    def __init__(self, moment):
        from unittest import mock

        self._patch = mock.patch("django.utils.timezone.now", return_value=moment)

    def __enter__(self):
        self._patch.start()
        return self

    def __exit__(self, *exc):
        self._patch.stop()
