"""Create the platform's four roles as groups.

Wagtail's own initial migration already creates "Editors" and "Moderators" with
admin access and page permissions; this one makes sure all four exist.
"""

from django.db import migrations

ROLES = ["Learners", "Experts", "Moderators", "Editors"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_new_roles(apps, schema_editor):
    # Editors and Moderators belong to Wagtail's initial data; leave them.
    apps.get_model("auth", "Group").objects.filter(name__in=["Learners", "Experts"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_roles, remove_new_roles)]
