"""PostgreSQL: accent-insensitive text-search configurations for the four languages.

``allas_es`` = unaccent, then Spanish Snowball (likewise en, fr, pt); ``allas_simple``
= unaccent without stemming, for autocomplete. Nothing to do on SQLite (see
search/text.py for its Python analysis).
"""

from django.db import migrations

LANGUAGES = {"es": "spanish", "en": "english", "fr": "french", "pt": "portuguese"}
TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    statements = ["CREATE EXTENSION IF NOT EXISTS unaccent"]
    for code, dictionary in [*LANGUAGES.items(), ("simple", "simple")]:
        name = f"allas_{code}"
        stemmer = "simple" if code == "simple" else f"{dictionary}_stem"
        statements += [
            f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}",
            f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {dictionary})",
            f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR {TOKENS} "
            f"WITH unaccent, {stemmer}",
        ]
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for code in [*LANGUAGES, "simple"]:
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS allas_{code}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
