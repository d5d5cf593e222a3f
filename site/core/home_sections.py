"""Slots on the home page that other capabilities fill.

An app registers a function with the ``allas_home_section`` Wagtail hook; it receives
``(request, home_page)`` and returns ``None`` (nothing to show) or a
``HomeSection``. Sections are shown in ``order``. A section that is the same for every
visitor of a home page (no learner state) wraps its function in ``shared_section``
and is built once per home page and language, not on every request.
"""

import functools
from dataclasses import dataclass, field

from django.utils import translation
from wagtail import hooks

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

        key = (
            f"home-section:{build.__module__}.{build.__qualname__}:"
            f"{home_page.pk}:{translation.get_language()}"
        )
        return page_cache.remember(request, key, lambda: build(request, home_page), seconds)

    return wrapper


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
