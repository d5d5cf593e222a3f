"""Editors schedule Café sessions; Moderators work the queue in the Wagtail admin."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Editors": {"cafesession": ["add", "change", "delete", "view"], "category": ["view"]},
    "Moderators": {
        "report": ["change", "view"],
        "category": ["add", "change", "view"],
        "cafesession": ["view"],
        "suspension": ["add", "change", "view"],
        "moderationaction": ["view"],
    },
}


def grant(apps, schema_editor):
    create_permissions(global_apps.get_app_config("community"), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, models in GRANTS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="community", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
