"""Sections of /mi-aprendizaje/ that other capabilities fill (webinar registrations…).

A capability registers a function with the ``allas_learning_dashboard_section`` Wagtail
hook; it receives the request and returns ``None`` or a ``DashboardSection``. The
section's template is included with ``section`` in its context.
"""

from dataclasses import dataclass, field

from wagtail import hooks

HOOK_NAME = "allas_learning_dashboard_section"


@dataclass(frozen=True)
class DashboardSection:
    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def collect_dashboard_sections(request):
    sections = []
    for build in hooks.get_hooks(HOOK_NAME):
        section = build(request)
        if section is not None:
            sections.append(section)
    return sorted(sections, key=lambda section: section.order)
