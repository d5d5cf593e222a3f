"""Café slots that other pages include: ``{% load cafe %}{% page_debates page %}``.

Contract for the Café (community) implementation: ``page_debates`` renders the debates
attached to a Wagtail page (a Cuaderno, a course, a lesson) that the current user may
read, and a "Debatir" button that opens a new debate attached to it. Until the Café
exists it renders nothing.
"""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_debates(context, page):
    return ""
