"""What the webinar pages show, computed in Python (filled in by the views module)."""


def agenda_context(request, page):
    return {}


def webinar_context(request, page):
    return {}
