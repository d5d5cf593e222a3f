"""``{% webinar_archive %}``: the archive part of a past event's page (recording,
chapters, answered questions, the Café, the certificate), so the event template
needs one line and the event's presenter stays as it is."""

from django import template

from webinars.archive import archive_context

register = template.Library()


@register.inclusion_tag("webinars/archive/archive.html", takes_context=True)
def webinar_archive(context):
    request, page = context.get("request"), context.get("page")
    data = archive_context(request, page) if request is not None and page is not None else None
    return {"archive": data, "page": page, "request": request,
            "csrf_token": context.get("csrf_token")}
