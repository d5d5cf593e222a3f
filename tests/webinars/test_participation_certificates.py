"""Participation certificates: for attendees only, once, verifiable like course ones."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections
from django.utils import timezone

from allas_site.notifications.models import Notification
from courses.models import Certificate, CertificateKind
from tests import factories as people
from tests.webinars import factories
from webinars import certificates, services
from webinars.models import ParticipationCertificate, WebinarStatus


def past_event(agenda, **fields):
    return factories.webinar(agenda, starts_in=-timedelta(days=2), **fields)


def attend(user, event, attended=True):
    return services.do_import_registration(
        user, event, created_at=event.starts_at - timedelta(days=3),
        attended_at=event.starts_at + timedelta(minutes=5) if attended else None,
    )


def test_an_attendee_gets_one_certificate_verifiable_like_course_ones(agenda, learner, client):
    event = past_event(agenda, title="Ciudades que cooperan")
    registration = attend(learner, event)
    certificate, created = certificates.do_issue_participation_certificate(learner, event)
    assert created
    assert certificate.kind == CertificateKind.PARTICIPATION
    assert certificate.course_title == "Ciudades que cooperan"
    assert certificate.holder_id == learner.pk
    assert certificate.participation.registration == registration
    assert Notification.objects.filter(recipient=learner, kind="certificate").count() == 1

    page = client.get(f"/certificados/{certificate.code}/")
    assert page.status_code == 200
    assert "Certificado de participación" in page.content.decode()
    assert "Ciudades que cooperan" in page.content.decode()

    client.force_login(learner)
    pdf = client.get(f"/certificados/{certificate.code}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_someone_else_cannot_download_the_pdf(agenda, learner, expert, client):
    event = past_event(agenda)
    attend(learner, event)
    certificate, _created = certificates.do_issue_participation_certificate(learner, event)
    client.force_login(expert)
    assert client.get(f"/certificados/{certificate.code}/pdf/").status_code == 403


def test_asking_twice_returns_the_same_certificate(agenda, learner):
    event = past_event(agenda)
    attend(learner, event)
    first, created = certificates.do_issue_participation_certificate(learner, event)
    again, created_again = certificates.do_issue_participation_certificate(learner, event)
    assert created and not created_again
    assert again.pk == first.pk
    assert Certificate.objects.count() == 1
    assert Notification.objects.filter(kind="certificate").count() == 1


def test_the_translation_of_an_event_gives_the_same_certificate(agenda, learner):
    event = past_event(agenda)
    attend(learner, event)
    first, _created = certificates.do_issue_participation_certificate(learner, event)
    alias = event.get_translations().first()
    assert alias is not None  # published: every language's tree has the event
    again, created = certificates.do_issue_participation_certificate(learner, alias)
    assert not created and again.pk == first.pk


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("registered_only", "not_attended"),
        ("nobody", "not_attended"),
        ("cancelled", "cancelled"),
        ("upcoming", "not_over"),
    ],
)
def test_refusals_are_clear_and_issue_nothing(agenda, learner, setup, code):
    if setup == "upcoming":
        event = factories.webinar(agenda, starts_in=-timedelta(minutes=10))
        attend(learner, event)
    elif setup == "cancelled":
        event = past_event(agenda, status=WebinarStatus.CANCELLED)
        attend(learner, event)
    else:
        event = past_event(agenda)
        if setup == "registered_only":
            attend(learner, event, attended=False)
    with pytest.raises(services.WebinarError) as error:
        certificates.do_issue_participation_certificate(learner, event)
    assert error.value.code == code
    assert str(error.value)
    assert not Certificate.objects.exists()
    assert not ParticipationCertificate.objects.exists()


def test_the_event_date_is_the_day_in_the_sites_zone(agenda, learner, settings):
    zone = timezone.get_default_timezone()
    # 03:00 UTC is still the day before in the Americas and already that day in Europe.
    starts_at = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
    event = factories.webinar(agenda, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1))
    attend(learner, event)
    certificate, _created = certificates.do_issue_participation_certificate(learner, event)
    assert certificate.held_on == starts_at.astimezone(zone).date()
    with timezone.override("Asia/Tokyo"):
        assert certificate.held_on == starts_at.astimezone(zone).date()


def test_the_title_is_in_the_learners_language(agenda):
    event = past_event(agenda, title="Ciudades que cooperan")
    learner = people.learner(preferred_language="en")
    attend(learner, event)
    certificate, _created = certificates.do_issue_participation_certificate(learner, event)
    # The English tree holds an alias (untranslated): the original's title.
    assert certificate.course_title == "Ciudades que cooperan"


# --- the view --------------------------------------------------------------------------------


def test_the_archive_button_issues_it_and_leads_to_it(agenda, learner, client):
    event = past_event(agenda)
    attend(learner, event)
    client.force_login(learner)
    url = event.url + "certificado/"
    response = client.post(url)
    certificate = Certificate.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/certificados/{certificate.code}/")
    again = client.post(url)
    assert again["Location"] == response["Location"]
    assert Certificate.objects.count() == 1


def test_the_view_refuses_without_a_500(agenda, learner, client):
    event = past_event(agenda)
    url = event.url + "certificado/"
    assert client.post(url).status_code == 302  # to the log-in page
    client.force_login(learner)
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "no consta tu asistencia" in response.content.decode()
    assert not Certificate.objects.exists()


def test_my_learning_lists_it(agenda, learner, client):
    event = past_event(agenda, title="Ciudades que cooperan")
    attend(learner, event)
    certificate, _created = certificates.do_issue_participation_certificate(learner, event)
    client.force_login(learner)
    page = client.get("/mi-aprendizaje/").content.decode()
    assert certificate.code in page
    assert "Certificado de participación" in page


# --- at once ---------------------------------------------------------------------------------


@pytest.fixture
def committed_home(transactional_db):
    """The home page in a transactional test. Not serialized_rollback: restoring the
    serialized rows clashes with content types that plain transactional tests of other
    modules leave re-created; the flush before this test removed the default locale and
    the tree's root, so put those back (as the browser tests' ``campus_home``)."""
    import io

    from django.conf import settings
    from wagtail.models import Locale, Page

    from allas_site.core.demo import load_home

    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return load_home(io.StringIO())


def test_requests_at_once_issue_a_single_certificate(committed_home):
    event = past_event(factories.agenda(committed_home))
    learner = people.learner()
    attend(learner, event)
    barrier = threading.Barrier(6)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=30)
            results.append(certificates.do_issue_participation_certificate(learner, event))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Certificate.objects.count() == 1
    assert {certificate.pk for certificate, _created in results} == {
        Certificate.objects.get().pk}
    assert sum(1 for _certificate, created in results if created) == 1


def test_the_demo_issues_attendees_certificates_once(agenda, learner, expert):
    import io

    from webinars.archive import load_demo_certificates

    event = past_event(agenda)
    attend(learner, event)
    attend(expert, event, attended=False)
    load_demo_certificates(io.StringIO())
    load_demo_certificates(io.StringIO())
    assert list(Certificate.objects.values_list("participation__user", flat=True)) == [
        learner.pk]
