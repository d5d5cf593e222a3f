from django import template
from django.utils.html import format_html

from allas_site.core import languages

register = template.Library()


@register.filter
def language_name(code):
    return languages.language_name(code)


@register.filter
def lang_attr(page):
    """`` lang="es"`` on the content of a page shown in another language than the
    visitor's (an untranslated page), so screen readers pronounce it right."""
    language = languages.foreign_language(page)
    return format_html(' lang="{}"', language) if language else ""


@register.inclusion_tag("components/untranslated_notice.html", takes_context=True)
def untranslated_notice(context):
    page = context.get("page")
    language = languages.foreign_language(page) if page is not None else None
    return {
        "content_language": language,
        "content_language_name": languages.language_name(language) if language else "",
        "visitor_language_name": languages.language_name(languages.active_language()),
    }
