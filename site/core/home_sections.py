"""Slots on the home page that other capabilities fill.

An app registers a function with the ``allas_home_section`` Wagtail hook; it receives
``(request, home_page)`` and returns ``None`` (nothing to show) or a
``HomeSection``. Sections are shown in ``order``. A section that is the same for every
visitor of a home page (no learner state) wraps its function in ``shared_section``
and is built once per home page and language, not on every request: its template is
rendered then too (for an anonymous visitor, so nothing personal can end up in it), and
every request after that includes the finished HTML.
"""

import copy
import dataclasses
import functools
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import timezone, translation
from wagtail import hooks

# Includes the HTML a shared section was rendered to (``section.context.html``).
PRERENDERED_TEMPLATE = "components/prerendered_section.html"

# Shared sections follow publishing at once (the page cache's site-wide version) and
# anything else (random partners, a course's enrolment dates) within this time.
SHARED_SECTION_SECONDS = 300


@dataclass(frozen=True)
class HomeSection:
    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    more_url: str = ""
    more_label: str = ""


def shared_section(build, seconds=SHARED_SECTION_SECONDS):
    """Wrap a home-section function whose result depends only on the home page (and
    so on its language), never on who is looking."""

    @functools.wraps(build)
    def wrapper(request, home_page):
        from allas_site.core import page_cache

        # Times are written in the current zone, and without a chosen profile zone they
        # are marked for the browser to rewrite: both are part of what was rendered.
        zone = timezone.get_current_timezone_name()
        chosen = bool(getattr(request, "profile_time_zone", ""))
        key = (
            f"home-section:{build.__module__}.{build.__qualname__}:"
            f"{home_page.pk}:{translation.get_language()}:{zone}:{chosen}"
        )
        return page_cache.remember(
            request, key, lambda: prerendered(request, build(request, home_page)), seconds
        )

    return wrapper


def anonymous_request(request):
    """A copy of ``request`` that is nobody's: what a shared fragment is rendered for."""
    anonymous = copy.copy(request)
    anonymous.user = anonymous._cached_user = AnonymousUser()
    anonymous.META = {key: value for key, value in request.META.items()
                      if key not in ("CSRF_COOKIE", "HTTP_COOKIE")}
    anonymous.COOKIES = {}
    return anonymous


def prerendered(request, section):
    """``section`` with its template rendered once (anonymous, current language and zone)
    and only the HTML kept: cheap to keep and to copy out of the fragment store."""
    if section is None or request is None:
        return section
    html = render_to_string(section.template, {"section": section},
                            request=anonymous_request(request))
    return dataclasses.replace(section, template=PRERENDERED_TEMPLATE, context={"html": html})


def collect_sections(hook_name, *args):
    """The sections every function registered with ``hook_name`` returns for ``args``,
    in order; the same mechanism serves the home page and the topic pages."""
    sections = []
    for build in hooks.get_hooks(hook_name):
        section = build(*args)
        if section is not None:
            sections.append(section)
    return sorted(sections, key=lambda section: section.order)


def collect_home_sections(request, home_page):
    return collect_sections("allas_home_section", request, home_page)
