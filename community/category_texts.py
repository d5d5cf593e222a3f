"""Café category names and descriptions in the visitor's language.

Categories are few and their words change rarely, so each language's translations are
read in one query and kept in the cache; saving any category forgets them. Pages
listing categories or debates then name them in the visitor's language at no cost.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

CACHE_SECONDS = 600


def _key(language):
    return f"cafe:category-texts:{language}"


def texts(language):
    """``{translation_key: {"name": …, "description": …}}`` of ``language``'s rows."""
    from community.models import Category

    key = _key(language)
    found = cache.get(key)
    if found is None:
        found = {
            str(row["translation_key"]): {"name": row["name"], "description": row["description"]}
            for row in Category.objects.filter(locale__language_code=language).values(
                "translation_key", "name", "description"
            )
        }
        cache.set(key, found, CACHE_SECONDS)
    return found


def text_for(category, field):
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    original = getattr(category, field)
    if language == settings.LANGUAGE_CODE or category.locale_id is None:
        return original
    translated = texts(language).get(str(category.translation_key), {}).get(field)
    return translated or original


def forget():
    cache.delete_many([_key(code) for code, _name in settings.LANGUAGES])
