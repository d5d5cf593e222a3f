# Café categories become translatable the Wagtail way: each existing category is the
# original in the default language; translations are new rows sharing its key.

import uuid

import django.db.models.deletion
from django.db import migrations, models
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0005_kept_after_account_deletion"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="locale",
            field=models.ForeignKey(
                editable=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to="wagtailcore.locale", verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name="category",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        BootstrapTranslatableModel("community.Category"),
        migrations.AlterField(
            model_name="category",
            name="locale",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to="wagtailcore.locale", verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="category",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
    ]
