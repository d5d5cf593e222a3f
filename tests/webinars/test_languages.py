"""An event in four languages: translations share the original's times and places;
e-mails speak the person's language."""

from datetime import timedelta

from wagtail.models import Locale

from allas_site.core import page_tree
from tests import factories as people
from tests.webinars import factories
from webinars import services
from webinars.models import WebinarPage


def test_a_translation_keeps_the_originals_times_and_places(client, agenda):
    webinar = factories.webinar(agenda, capacity=3, venue_city="Montevideo")
    french = page_tree.start_translation(webinar, Locale.objects.get(language_code="fr"))
    french.title = "Villes en réseau"
    french.starts_at = webinar.starts_at + timedelta(days=9)  # a translator's slip
    french.ends_at = webinar.ends_at + timedelta(days=9)
    french.capacity = 300
    french.save_revision().publish()
    french = WebinarPage.objects.get(pk=french.pk)
    assert french.starts_at == webinar.starts_at and french.capacity == 3
    html = client.get(french.url).content.decode()
    assert "Villes en réseau" in html
    # The editor moves the original: the translation follows.
    moved = factories.republish(webinar, starts_at=webinar.starts_at + timedelta(hours=2),
                                ends_at=webinar.ends_at + timedelta(hours=2))
    french.refresh_from_db()
    assert french.starts_at == moved.starts_at and french.sequence == moved.sequence == 1


def test_registering_on_the_translation_takes_a_place_in_the_original(agenda, learner):
    webinar = factories.webinar(agenda, capacity=1)
    english = page_tree.start_translation(webinar, Locale.objects.get(language_code="en"))
    english.title = "Cities in a network"
    english.save_revision().publish()
    registration = services.do_register(learner, WebinarPage.objects.get(pk=english.pk))
    assert registration.webinar_id == webinar.pk
    assert services.do_register(people.learner(), webinar).is_waitlisted


def test_the_confirmation_speaks_the_persons_language(agenda, run_on_commit, mailoutbox):
    webinar = factories.webinar(agenda)
    english = page_tree.start_translation(webinar, Locale.objects.get(language_code="en"))
    english.title = "Cities in a network"
    english.save_revision().publish()
    person = people.learner(preferred_language="en")
    with run_on_commit():
        services.do_register(person, webinar)
    [message] = mailoutbox
    assert message.subject.endswith("Registration confirmed: “Cities in a network”")
    assert "/en/" in message.body


def test_the_agenda_page_in_english_shows_english_interface(client, agenda):
    factories.webinar(agenda)
    html = client.get("/en" + agenda.url).content.decode()
    assert "Upcoming events" in html and "See the time" not in html
    assert 'lang="es"' in html  # the untranslated event's title is marked Spanish
