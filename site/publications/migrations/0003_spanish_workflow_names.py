"""Wagtail's own migration names the moderation workflow and its task after the group,
in English ("Moderators approval"). The admin is Spanish first: give both a Spanish
name that keeps the English one, since a name is database content that Wagtail shows
as stored, whatever the editor's admin language."""

from django.db import migrations

UPSTREAM = "Moderators approval"
# Frozen here (a migration must not change later); the same text as
# allas_site.publications.services.MODERATION_WORKFLOW_NAME.
NAME = "Aprobación de moderadores (Moderators approval)"


def rename(apps, old, new):
    for model in ("Workflow", "Task"):
        apps.get_model("wagtailcore", model).objects.filter(name=old).update(name=new)


def to_spanish(apps, schema_editor):
    rename(apps, UPSTREAM, NAME)


def to_english(apps, schema_editor):
    rename(apps, NAME, UPSTREAM)


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0002_editors_translate"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(to_spanish, to_english)]
