"""Naming languages and marking content that is not in the visitor's language."""

from django.conf import settings
from django.utils import translation

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


# Languages whose names are common nouns, written in lower case inside a sentence.
LOWER_CASE_NAMES = {"es", "fr", "pt"}


def language_name(code):
    """``code``'s name in the visitor's language, as written inside a sentence ("PDF in
    Spanish", « PDF en espagnol »); the language switcher keeps each name in itself."""
    try:
        name = str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code
    return name.lower() if active_language() in LOWER_CASE_NAMES else name


def native_name(code):
    """``code``'s name in itself ("Español"), for links that offer that language."""
    return dict(settings.LANGUAGES).get(code, code)


def active_language():
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def page_content_language(page):
    """The language of ``page``'s words: its locale's, or the original's for an alias
    (an untranslated page). Listings annotate it (``with_content_language``) so that
    cards cost no query; otherwise it is read once per page object."""
    from allas_site.core.page_tree import content_language

    if page is None or not hasattr(page, "alias_of_id"):
        return None
    if not hasattr(page, "content_language"):
        page.content_language = content_language(page)
    return page.content_language


def foreign_language(page):
    """The language of ``page``'s content when it is not the visitor's, else ``None``."""
    language = page_content_language(page)
    return language if language and language != active_language() else None
