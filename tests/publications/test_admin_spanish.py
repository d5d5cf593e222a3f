"""The Wagtail admin in Spanish: the banner of a form that could not be saved, our own
validation messages, and the moderation workflow's name (database content)."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation.reloader import translation_file_changed
from wagtail.models import GroupApprovalTask, Task, Workflow
from wagtail.users.models import UserProfile

from allas_site.publications import services
from tests.admin_forms import form_data
from tests.courses import factories as course_factories
from tests.publications import factories

pytestmark = pytest.mark.django_db

SPANISH_BANNER = "No se pudo guardar la página: hay errores de validación."
ENGLISH_BANNER = "The page could not be saved due to validation errors."


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogues():
    output = io.StringIO()
    call_command("compile_translations", stdout=output)
    if not output.getvalue().startswith("0 "):
        translation_file_changed(None, Path("django.mo"))


@pytest.fixture(autouse=True)
def _language_restored():
    with translation.override("es"):
        yield


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def admin_language(user, code):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = code
    profile.save()


def post_changed(client, url, model, **changes):
    """Post the edit form at ``url`` back with ``changes``; the re-rendered form."""
    data = form_data(client.get(url).content.decode(), model, form_id="page-edit-form"
                     if "/pages/" in url else None)
    data.update({name: [value] for name, value in changes.items()})
    response = client.post(url, data)
    assert response.status_code == 200, response.get("Location")
    return " ".join(response.content.decode().split())


def banner(html):
    match = re.search(r'<li class="error">(.*?)</li>', html, re.S)
    assert match, "no error banner"
    tags = r"""<(?:[^>"']|"[^"]*"|'[^']*')*>"""  # attribute values may hold ">"
    return " ".join(re.sub(tags, " ", match.group(1)).split())


def test_invalid_cuaderno_course_and_lesson_say_so_in_spanish(admin_client, home_page):
    index = factories.cuadernos_index(home_page)
    cuaderno = factories.publication(index)
    course = course_factories.course(course_factories.catalogue(home_page))
    lesson = course_factories.lessons_of(course)[0]

    html = post_changed(admin_client, f"/admin/pages/{cuaderno.pk}/edit/",
                        type(cuaderno), series_number="")
    assert banner(html) == f"{SPANISH_BANNER} Ir al primer error"
    assert "Un Cuaderno necesita su número en la colección." in html  # our own clean()

    for page in (course, lesson):
        html = post_changed(admin_client, f"/admin/pages/{page.pk}/edit/", type(page),
                            title="")
        assert banner(html) == f"{SPANISH_BANNER} Ir al primer error"
        assert "Este campo es necesario." in html
        assert ENGLISH_BANNER not in html and "Go to the first error" not in html


def test_invalid_topic_and_partner_say_so_in_spanish(admin_client, home_page):
    topic, partner = factories.topic(), factories.partner()
    for url, obj, expected in (
        (f"/admin/snippets/topics/topic/edit/{topic.pk}/", topic,
         "El tema no puede ser guardado debido a errores."),
        (f"/admin/snippets/partners/partner/edit/{partner.pk}/", partner,
         "El socio no puede ser guardado debido a errores."),
    ):
        html = post_changed(admin_client, url, type(obj), name="")
        assert banner(html) == f"{expected} Ir al primer error"


def test_an_editor_with_the_english_admin_keeps_english(admin_client, superuser, home_page):
    admin_language(superuser, "en")
    course = course_factories.course(course_factories.catalogue(home_page))
    html = post_changed(admin_client, f"/admin/pages/{course.pk}/edit/", type(course),
                        title="")
    assert banner(html) == f"{ENGLISH_BANNER} Go to the first error"


def test_moderation_workflow_has_its_campus_name():
    # Wagtail's migration created it as "Moderators approval"; ours renamed it.
    workflow = Workflow.objects.get(name=services.MODERATION_WORKFLOW_NAME)
    task = workflow.tasks.get()
    assert task.name == services.MODERATION_WORKFLOW_NAME
    assert isinstance(task.specific, GroupApprovalTask)
    # Spanish first, and the English kept for editors with another admin language.
    assert workflow.name.startswith("Aprobación de moderadores")
    assert "Moderators approval" in workflow.name
    assert not Workflow.objects.filter(name=services.UPSTREAM_MODERATION_NAME).exists()


def test_load_demo_names_a_workflow_created_under_the_upstream_name():
    Workflow.objects.filter(name=services.MODERATION_WORKFLOW_NAME).update(
        name=services.UPSTREAM_MODERATION_NAME
    )
    Task.objects.filter(name=services.MODERATION_WORKFLOW_NAME).update(
        name=services.UPSTREAM_MODERATION_NAME
    )
    assert services.do_name_moderation_workflow() == 2
    assert services.do_name_moderation_workflow() == 0  # idempotent
    assert Workflow.objects.filter(name=services.MODERATION_WORKFLOW_NAME).count() == 1
    assert Task.objects.filter(name=services.MODERATION_WORKFLOW_NAME).count() == 1


def test_the_migration_renames_both_ways():
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "allas_site.publications.migrations.0003_spanish_workflow_names"
    )
    assert migration.NAME == services.MODERATION_WORKFLOW_NAME
    migration.to_english(apps, None)
    assert Workflow.objects.filter(name="Moderators approval").count() == 1
    assert Task.objects.filter(name="Moderators approval").count() == 1
    migration.to_spanish(apps, None)
    assert Workflow.objects.filter(name=services.MODERATION_WORKFLOW_NAME).count() == 1
    assert Task.objects.filter(name=services.MODERATION_WORKFLOW_NAME).count() == 1
