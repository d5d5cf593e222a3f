"""Slots on the home page that other capabilities fill.

An app registers a function with the ``allas_home_section`` Wagtail hook; it receives
``(request, home_page)`` and returns ``None`` (nothing to show) or a
``HomeSection``. Sections are shown in ``order``.
"""

from dataclasses import dataclass, field

from wagtail import hooks


@dataclass(frozen=True)
class HomeSection:
    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    more_url: str = ""
    more_label: str = ""


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
