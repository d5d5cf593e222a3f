"""The embeddable badge: a static SVG with the campaign's name and its signature count,
for partners' websites (an ``<img>``, no iframe, no script).

Text is XML-escaped and the name shortened to fit; the width follows the text with a
generous estimate of a sans-serif's advance (no font is loaded: the viewer's own
sans-serif draws it, so nothing leaves the partner's page).
"""

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_TITLE = 48
CHAR_WIDTH = 6.8  # at 12 px; wide enough for capitals and accented letters
PADDING = 10
HEIGHT = 28


def _shorten(text, limit=MAX_TITLE):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _width(text):
    return round(len(text) * CHAR_WIDTH + 2 * PADDING)


def render_badge(title, count, language):
    """The SVG document (a str) in the active language."""
    name = _shorten(title)
    signed = ngettext("%(count)s firma", "%(count)s firmas", count) % {"count": count}
    left, right = _width(name), _width(signed)
    width = left + right
    label = _("%(title)s: %(signed)s") % {"title": name, "signed": signed}
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{width}" height="{HEIGHT}" viewBox="0 0 {width} {HEIGHT}" '
        f'role="img" aria-label="{escape(label)}" lang="{escape(language)}">'
        f"<title>{escape(label)}</title>"
        f'<rect width="{width}" height="{HEIGHT}" rx="4" fill="#123c69"/>'
        f'<rect x="{left}" width="{right}" height="{HEIGHT}" rx="4" fill="#0b6e4f"/>'
        f'<rect x="{left}" width="8" height="{HEIGHT}" fill="#0b6e4f"/>'
        '<g fill="#ffffff" font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, '
        'Arial, sans-serif" font-size="12">'
        f'<text x="{PADDING}" y="18">{escape(name)}</text>'
        f'<text x="{left + PADDING}" y="18" font-weight="bold">{escape(signed)}</text>'
        "</g></svg>"
    )
