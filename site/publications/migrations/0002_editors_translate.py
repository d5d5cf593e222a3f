"""Editors may translate pages and snippets with Wagtail's simple translation."""

from django.db import migrations


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # The permission is normally created after migrations; make sure it exists now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(
        content_type__app_label="simple_translation", codename="submit_translation"
    ).first()
    editors = Group.objects.filter(name="Editors").first()
    if permission and editors:
        editors.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0001_initial"),
        ("simple_translation", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
