"""Editors' registrant list, its CSV/XLSX export and the message to registrants."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from openpyxl import load_workbook

from tests import factories as people
from tests.webinars import factories
from webinars import archive, archive_tasks, services
from webinars.models import RegistrantMessage, RegistrationStatus


@pytest.fixture
def full_event(agenda):
    """Two places taken, two people waiting, one cancellation, one attendee."""
    event = factories.webinar(agenda, capacity=2, ask_organisation=True, ask_city=True)
    people_ = [people.learner(first_name=f"Persona{n}", last_name="Prueba") for n in range(5)]
    services.do_register(people_[0], event, {"organisation": "=HYPERLINK(\"http://x\")",
                                             "city": "Montevideo"})
    services.do_register(people_[1], event, {"organisation": "Intendencia"})
    services.do_register(people_[2], event)
    services.do_register(people_[3], event)
    services.do_cancel(people_[3], event)
    services.do_register(people_[4], event)
    first = services.active_registration(people_[0], event)
    first.attended_at = event.starts_at  # as the live room records it
    first.save(update_fields=["attended_at"])
    return event, people_


def admin_url(event, action="inscripciones"):
    return f"/admin/webinars/{event.pk}/{action}/"


def test_the_list_shows_status_position_answers_and_attendance(full_event, editor, client):
    event, _people = full_event
    client.force_login(editor)
    response = client.get(admin_url(event))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["status_code"] for row in rows] == [
        RegistrationStatus.REGISTERED, RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITLISTED, RegistrationStatus.WAITLISTED,
        RegistrationStatus.CANCELLED]
    assert [row["position"] for row in rows[2:4]] == [1, 2]
    assert rows[0]["attended"] and not rows[1]["attended"]
    html = response.content.decode()
    assert "Montevideo" in html and "Intendencia" in html
    assert response.context["counts"] == {"registered": 2, "waitlisted": 2, "cancelled": 1,
                                          "attended": 1}


def test_csv_export_is_formula_safe(full_event, editor, client):
    event, _people = full_event
    client.force_login(editor)
    response = client.get(admin_url(event) + "?exportar=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Nombre"
    assert len(rows) == 6
    assert rows[1][6] == "'=HYPERLINK(\"http://x\")"


def test_xlsx_export_opens_and_is_formula_safe(full_event, editor, client):
    event, _people = full_event
    client.force_login(editor)
    response = client.get(admin_url(event) + "?exportar=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 6
    assert values[1][6] == "'=HYPERLINK(\"http://x\")"
    assert sheet.cell(row=2, column=7).data_type != "f"


@pytest.fixture
def admin_without_pages(db):
    """May enter the admin, may not edit pages."""
    user = people.learner()
    group = Group.objects.create(name="Solo panel")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


def test_non_editors_get_no_list_and_no_export(full_event, admin_without_pages, client):
    event, people_ = full_event
    with pytest.raises(services.WebinarError):
        archive.registrant_rows(admin_without_pages, event)
    client.force_login(admin_without_pages)
    # Wagtail answers a refused admin view with its "no permission" redirect to the
    # dashboard (and a message), never with the data.
    for suffix in ("", "?exportar=csv", "?exportar=xlsx"):
        response = client.get(admin_url(event) + suffix)
        assert response.status_code == 302 and response["Location"] == "/admin/"
    response = client.post(admin_url(event, "mensaje"), {"subject": "Hola", "body": "Texto"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not RegistrantMessage.objects.exists()
    client.force_login(people_[0])  # no admin access at all: to the log-in page
    assert client.get(admin_url(event) + "?exportar=csv").status_code == 302


def test_unknown_or_huge_ids_are_404(editor, client):
    client.force_login(editor)
    for value in ("999999", "99999999999999999999999"):
        assert client.get(f"/admin/webinars/{value}/inscripciones/").status_code == 404


def test_the_message_reaches_registered_people_only_once(
    full_event, editor, client, mailoutbox, django_capture_on_commit_callbacks
):
    event, people_ = full_event
    mailoutbox.clear()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url(event, "mensaje"),
                               {"subject": "Cambio de sala", "body": "Nos vemos en la sala 2."})
    assert response.status_code == 302
    message = RegistrantMessage.objects.get()
    assert message.sender == editor and message.subject == "Cambio de sala"
    assert sorted(m.to[0] for m in mailoutbox) == sorted([people_[0].email, people_[1].email])
    assert all(len(m.to) == 1 for m in mailoutbox)
    assert "Nos vemos en la sala 2." in mailoutbox[0].body
    assert "Cambio de sala" in mailoutbox[0].subject
    message.refresh_from_db()
    assert message.recipients == 2 and message.sent_at is not None
    # A task run twice sends nothing the second time.
    assert archive_tasks.send_registrant_message.call(message.pk) == 0
    assert len(mailoutbox) == 2
    page = client.get(admin_url(event)).content.decode()
    assert "Cambio de sala" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"subject": "", "body": "Texto"}, "subject"),
        ({"subject": "Hola", "body": "   "}, "body"),
        ({"subject": "Una\nlínea de más", "body": "Texto"}, "subject"),
        ({"subject": "x" * 201, "body": "Texto"}, "subject"),
        ({"subject": "Hola", "body": "x" * 5001}, "body"),
        ({"subject": "Hola", "body": "con\x00nulo"}, None),  # refused by the request guard
        ({}, "subject"),
    ],
)
def test_a_malformed_message_is_a_form_error_and_sends_nothing(
    full_event, editor, client, mailoutbox, data, field
):
    event, _people = full_event
    mailoutbox.clear()
    client.force_login(editor)
    response = client.post(admin_url(event, "mensaje"), data)
    assert response.status_code == 400
    if field is not None:
        assert response.context["form"].errors.get(field)
    assert not RegistrantMessage.objects.exists()
    assert mailoutbox == []


def test_an_event_without_registered_people_cannot_be_messaged(agenda, editor, client):
    event = factories.webinar(agenda, starts_in=timedelta(days=5))
    client.force_login(editor)
    response = client.post(admin_url(event, "mensaje"), {"subject": "Hola", "body": "Texto"})
    assert response.status_code == 400
    assert "no tiene personas inscritas" in response.content.decode()
    assert not RegistrantMessage.objects.exists()


def test_the_event_page_in_the_admin_links_to_the_list(full_event, editor, client):
    event, _people = full_event
    client.force_login(editor)
    html = client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert admin_url(event) in html


def test_the_list_and_exports_cost_the_same_queries_with_5_and_1000_registrants(
        agenda, editor, client):
    """The issue's sizes: the list and both exports read every registration with its
    person in one query, whatever their number (people and places written in bulk)."""
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = factories.webinar(agenda, capacity=600, ask_organisation=True)
    client.force_login(editor)

    def counts():
        found = {}
        for suffix in ("", "?exportar=csv", "?exportar=xlsx"):
            client.get(admin_url(event) + suffix)  # the admin's per-process memos are warm
            with CaptureQueriesContext(connection) as queries:
                response = client.get(admin_url(event) + suffix)
            assert response.status_code == 200
            found[suffix or "list"] = len(queries)
        return found, response

    few = factories.bulk_people(5)
    factories.bulk_registrations(event, few[:4], organisation="Quito")
    factories.bulk_registrations(event, few[4:], status=RegistrationStatus.WAITLISTED)
    small, _response = counts()
    began = time.monotonic()
    crowd = factories.bulk_people(995)
    factories.bulk_registrations(event, crowd[:596], organisation="Quito")
    factories.bulk_registrations(event, crowd[596:], status=RegistrationStatus.WAITLISTED)
    built = time.monotonic() - began
    large, response = counts()
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows())
    assert len(rows) == 1001  # the header and every registration
    assert small == large
    print(f"registrant queries: 5 {small}, 1000 {large} (995 built in {built:.1f} s)")
