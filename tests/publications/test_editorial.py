"""The editorial path in the Wagtail admin: create, submit, approve, schedule,
translate — with Wagtail's own moderation workflow and simple translation."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Page
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from allas_site.publications.models import PublicationPage
from tests.publications import factories

pytestmark = pytest.mark.django_db


def _add_form(title, slug, document, **extra):
    return nested_form_data({
        "title": title,
        "slug": slug,
        "publication_type": "cuaderno",
        "series_number": 7,
        "subtitle": "",
        "publication_date": "2026-01-15",
        "language": "es",
        "authors": inline_formset([{"name": "Ana Pérez", "person": ""}]),
        "abstract": "Resumen.",
        "body": streamfield([("paragraph", rich_text("<p>Texto</p>"))]),
        "editions": inline_formset([{"language": "es", "document": document.pk}]),
        "isbn": "",
        "doi": "",
        "source_url": "",
        **extra,
    })


def test_editor_creates_and_submits_moderator_approves(client, index, editor, moderator):
    document = factories.pdf_document()
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["publications", "publicationpage", index.pk])
    response = client.post(url, {**_add_form("Cuaderno nuevo", "cuaderno-nuevo", document),
                                 "action-submit": "Submit"})
    assert response.status_code == 302, response.context["form"].errors
    # The original; Wagtail's synchronised tree adds its (draft) aliases in other languages.
    page = PublicationPage.objects.get(slug="cuaderno-nuevo", alias_of__isnull=True)
    assert not page.live
    state = page.current_workflow_state
    assert state is not None and state.status == "in_progress"

    # An editor alone cannot publish: Wagtail's Editors group lacks publish permission.
    assert not page.permissions_for_user(editor).can_publish()

    client.force_login(moderator)
    task_state = state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
    )
    assert client.post(approve, {"comment": ""}).status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert page.editions.get().language == "es"
    # Published with its original: the same address works in every language.
    aliases = PublicationPage.objects.filter(alias_of=page)
    assert {alias.locale.language_code for alias in aliases if alias.live} >= {"en", "fr", "pt"}
    # Revisions are kept and can be compared.
    revisions = page.revisions.order_by("pk")
    assert revisions.count() >= 1
    compare = reverse(
        "wagtailadmin_pages:revisions_compare",
        args=[page.pk, "live", revisions.first().pk],
    )
    assert client.get(compare).status_code == 200


def test_scheduled_publishing_runs_with_publish_scheduled(client, index, moderator):
    page = factories.publication(index, publish=False, title="Programado")
    revision = page.latest_revision
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save()
    assert not Page.objects.get(pk=page.pk).live
    call_command("publish_scheduled")
    assert Page.objects.get(pk=page.pk).live


def test_moderator_schedules_from_the_admin(client, index, moderator):
    document = factories.pdf_document()
    page = factories.publication(index, publish=False, title="Para mañana")
    client.force_login(moderator)
    go_live = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {**_add_form("Para mañana", page.slug, document, go_live_at=go_live),
         "action-publish": "Publish"},
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert page.latest_revision.approved_go_live_at is not None


def test_editor_translates_a_cuaderno(client, index, english_index, editor):
    """With the synchronised tree the English page already exists as an alias; the
    editor turns it into a translation ("Translate this page") and edits it."""
    page = factories.publication(index, title="Ciudades en red")
    english = Locale.objects.get(language_code="en")
    alias = page.get_translation(english)
    assert alias.alias_of_id == page.pk and alias.get_parent().pk == english_index.pk
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:convert_alias", args=[alias.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    translated = page.get_translation(english).specific
    assert translated.alias_of_id is None
    assert translated.editions.count() == 1
    # Publishing the Spanish original no longer overwrites the English text.
    translated.title = "Cities in networks"
    translated.save_revision().publish()
    page.save_revision().publish()
    assert page.get_translation(english).title == "Cities in networks"


def test_a_fake_pdf_upload_is_refused_in_the_admin(client, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": "Falso", "file": SimpleUploadedFile("falso.pdf", b"no soy un pdf"),
         "collection": 1},
    )
    assert response.status_code == 200
    assert "no es un PDF" in response.content.decode()
