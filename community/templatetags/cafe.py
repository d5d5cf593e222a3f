"""Café slots that other pages include: ``{% load cafe %}{% page_debates page %}``.

``page_debates`` renders the debates attached to a Wagtail page (a Cuaderno, a course,
a lesson) that the current user may read, and a "Debatir" button that opens a new
debate attached to it.
"""

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def page_debates(context, page):
    from community.presenters import debates_on_page

    request = context.get("request")
    if request is None or page is None or not getattr(page, "pk", None):
        return ""
    return render_to_string(
        "components/cafe/page_debates.html",
        {"page": page, "debates": debates_on_page(request.user, page)},
        request=request,
    )
