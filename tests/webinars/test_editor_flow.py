"""The editor's path in the Wagtail admin, through its views (Django test client): an
editor creates an event under the Agenda with times in their own zone, submits it to
moderation, a moderator approves it (the same workflow as the Cuadernos); the event is
live in Spanish and, as an alias, in English; the editor turns the English alias into a
translation, retitles it, and the English page shows its title with the original's
times."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
from wagtail.users.models import UserProfile

from webinars.models import WebinarPage

pytestmark = pytest.mark.django_db

EDITOR_ZONE = "America/Bogota"  # UTC−5 all year
STARTS_LOCAL, ENDS_LOCAL = "2027-03-10 10:00", "2027-03-10 11:30"
STARTS_UTC = datetime(2027, 3, 10, 15, 0, tzinfo=UTC)
ENDS_UTC = datetime(2027, 3, 10, 16, 30, tzinfo=UTC)


def _form(title, slug, **extra):
    # A list would be flattened by nested_form_data: the check boxes go in afterwards.
    languages = extra.pop("languages", ["es", "en"])
    return {**nested_form_data({
        "title": title,
        "slug": slug,
        "summary": "Cómo las ciudades pequeñas entran en las redes internacionales.",
        "format": "webinar",
        "status": "scheduled",
        "starts_at": STARTS_LOCAL,
        "ends_at": ENDS_LOCAL,
        "interpretation_note": "",
        "series": "",
        "body": streamfield([]),
        "speakers": inline_formset([{"member": "", "name": "Lucía Gómez",
                                     "organisation": "Ayuntamiento de Rosario",
                                     "role": "ponente"}]),
        "moderator": "",
        "capacity": "40",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "venue_city": "",
        "venue_address": "",
        "venue_map_url": "",
        "join_url": "https://meet.example.org/redes",
        "stream_embed_url": "",
        "related_publication": "",
        "related_course": "",
        "related_debate": "",
        "documents": inline_formset([]),
        "recording_embed_url": "",
        "chapters": streamfield([]),
        **extra,
    }), "languages": languages}


def _errors(response):
    context = getattr(response, "context", None)
    if not context or "form" not in context:
        return response.status_code
    return context["form"].errors, [f.errors for f in context["form"].formsets.values()]


def _approve(client, moderator, page):
    state = page.current_workflow_state
    assert state is not None and state.status == "in_progress"
    client.force_login(moderator)
    approve = reverse("wagtailadmin_pages:workflow_action",
                      args=[page.pk, "approve", state.current_task_state.pk])
    assert client.post(approve, {"comment": ""}).status_code in (200, 302)


def test_editor_creates_translates_and_moderator_publishes(client, agenda, editor, moderator):
    profile = UserProfile.get_for_user(editor)
    profile.current_time_zone = EDITOR_ZONE
    profile.save()
    client.force_login(editor)

    # Create and submit: the times are typed in the editor's zone.
    url = reverse("wagtailadmin_pages:add", args=["webinars", "webinarpage", agenda.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**_form("Redes de ciudades pequeñas", "redes-pequenas"),
                                 "action-submit": "Submit"})
    assert response.status_code == 302, _errors(response)
    page = WebinarPage.objects.get(slug="redes-pequenas", alias_of__isnull=True)
    assert page.locale.language_code == "es" and page.get_parent().pk == agenda.pk
    assert not page.live
    assert page.starts_at == STARTS_UTC and page.ends_at == ENDS_UTC
    assert page.languages == ["es", "en"] and page.capacity == 40
    assert page.speakers.get().name == "Lucía Gómez"
    assert not page.permissions_for_user(editor).can_publish()
    assert client.get(page.url or "/webinars/redes-pequenas/").status_code == 404

    # The moderator approves: live in Spanish and, through the alias, in English.
    _approve(client, moderator, page)
    page.refresh_from_db()
    assert page.live and page.url == "/webinars/redes-pequenas/"
    client.logout()
    spanish = client.get("/webinars/redes-pequenas/")
    assert spanish.status_code == 200
    assert "Redes de ciudades pequeñas" in spanish.content.decode()
    english = Locale.objects.get(language_code="en")
    alias = page.get_translation(english)
    assert alias.alias_of_id == page.pk and alias.live
    assert alias.url == "/en/webinars/redes-pequenas/"
    response = client.get("/en/webinars/redes-pequenas/")
    assert response.status_code == 200
    assert "Redes de ciudades pequeñas" in response.content.decode()

    # The editor translates: "Translate this page" on the alias, then a new title.
    client.force_login(editor)
    convert = reverse("wagtailadmin_pages:convert_alias", args=[alias.pk])
    assert client.get(convert).status_code == 200
    assert client.post(convert).status_code == 302
    translation = WebinarPage.objects.get(pk=alias.pk)
    assert translation.alias_of_id is None
    assert translation.translation_key == page.translation_key
    edit = reverse("wagtailadmin_pages:edit", args=[translation.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {
        **_form("Networks of small cities", "redes-pequenas",
                summary="How small cities join international networks.",
                speakers=inline_formset([{
                    "id": str(speaker.pk), "member": "", "name": speaker.name,
                    "organisation": speaker.organisation, "role": "speaker",
                } for speaker in translation.speakers.all()], initial=1)),
        "action-submit": "Submit",
    })
    assert response.status_code == 302, _errors(response)
    translation = WebinarPage.objects.get(pk=alias.pk)
    _approve(client, moderator, translation)

    client.logout()
    response = client.get("/en/webinars/redes-pequenas/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Networks of small cities" in html and "Redes de ciudades pequeñas" not in html
    translation = WebinarPage.objects.get(pk=alias.pk)
    assert translation.live and translation.title == "Networks of small cities"
    assert (translation.starts_at, translation.ends_at) == (STARTS_UTC, ENDS_UTC)
    assert response.context["page"].starts_at == STARTS_UTC
    assert '<time datetime="2027-03-10T15:00:00Z"' in html
    # The Spanish page is unchanged.
    assert "Redes de ciudades pequeñas" in client.get("/webinars/redes-pequenas/").content.decode()
