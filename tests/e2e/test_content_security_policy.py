"""The strict Content-Security-Policy breaks nothing: every page type, as a visitor, a
learner and an administrator (the Wagtail admin included), runs in Chromium without a
single policy violation, and the live debate page connects its socket."""

import pytest

from tests.e2e.conftest import TIMEOUT_MS

# Not database tests: they read the demo demo_site commits once for the package.
pytestmark = pytest.mark.browser

# Recorded before any script of the page runs.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.effectiveDirective} ${event.blockedURI}`);
});
"""


def urls_of_every_page_type():
    from wagtail.models import Page

    from allas_site.partners.models import Partner
    from allas_site.topics.models import Topic
    from community.models import Category, Debate
    from courses.models import Certificate

    public, seen = [], set()
    for page in Page.objects.live().public().filter(depth__gt=1).specific().order_by("path"):
        kind = type(page).__name__
        if kind not in seen:
            seen.add(kind)
            public.append((kind, page.url))
    open_category = Category.objects.filter(read_access="everyone").first()
    public += [
        ("topic", Topic.objects.first().get_absolute_url()),
        ("partner", Partner.objects.first().get_absolute_url()),
        ("cafe category", open_category.get_absolute_url()),
        ("debate", Debate.objects.filter(category=open_category).first().get_absolute_url()),
        ("log-in", "/cuentas/login/"),
        ("sign-up", "/cuentas/signup/"),
        ("english home", "/en/"),
        ("not found", "/no-existe/"),
    ]
    certificate = Certificate.objects.first()
    if certificate:
        public.append(("certificate", f"/certificados/{certificate.code}/"))
    return public


MEMBER_PAGES = [
    ("my learning", "/mi-aprendizaje/"),
    ("profile", "/cuentas/perfil/"),
    ("profile edit", "/cuentas/perfil/editar/"),
    ("new debate", "/cafe/nuevo/"),
    ("notifications", "/notificaciones/"),
]


def admin_pages():
    from wagtail.models import Page

    pages, seen = [("dashboard", "/admin/")], set()
    for page in Page.objects.filter(depth__gt=1).specific().order_by("path"):
        if type(page) not in seen:
            seen.add(type(page))
            pages.append((f"edit {type(page).__name__}", f"/admin/pages/{page.pk}/edit/"))
    return pages + [
        ("explorer", "/admin/pages/"),
        ("images", "/admin/images/"),
        ("documents", "/admin/documents/"),
        ("snippets", "/admin/snippets/"),
        ("users", "/admin/users/"),
        ("workflows", "/admin/workflows/list/"),
        ("café reports", "/admin/cafe_reports/"),
        ("café sessions", "/admin/cafe_sessions/new/"),
        ("courses admin", "/admin/cursos/"),
    ]


def violations_on(browser, port, pages, cookie=None):
    context = browser.new_context(base_url=f"http://127.0.0.1:{port}")
    context.set_default_timeout(TIMEOUT_MS * 6)
    context.add_init_script(RECORD_VIOLATIONS)
    if cookie is not None:
        name, value = cookie.split("=", 1)
        context.add_cookies([{"name": name, "value": value, "domain": "127.0.0.1", "path": "/"}])
    page = context.new_page()
    found = {}
    try:
        for label, url in pages:
            page.goto(url, wait_until="domcontentloaded")
            page.wait_for_timeout(800)  # scripts that run after load (sockets, widgets)
            seen = page.evaluate("window.__cspViolations")
            if seen:
                found[f"{label} {url}"] = seen
    finally:
        context.close()
    return found


def test_no_page_type_breaks_the_policy(browser, demo_site, django_db_blocker):
    with django_db_blocker.unblock():
        public, admin = urls_of_every_page_type(), admin_pages()
    port, cookies = demo_site["port"], demo_site["cookies"]
    assert violations_on(browser, port, public) == {}
    assert violations_on(browser, port, MEMBER_PAGES, cookies["learner"]) == {}
    assert violations_on(browser, port, admin, cookies["admin"]) == {}


def test_the_live_debate_connects_under_the_policy(browser, demo_site, django_db_blocker):
    from community.models import Debate

    with django_db_blocker.unblock():
        debate = Debate.objects.filter(category__read_access="everyone").first()
        url = debate.get_absolute_url()
    context = browser.new_context(base_url=f"http://127.0.0.1:{demo_site['port']}")
    context.set_default_timeout(TIMEOUT_MS * 3)
    context.add_init_script(RECORD_VIOLATIONS)
    name, value = demo_site["cookies"]["expert"].split("=", 1)
    context.add_cookies([{"name": name, "value": value, "domain": "127.0.0.1", "path": "/"}])
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("[data-cafe-debate][data-connected='1']", state="attached")
    assert page.evaluate("window.__cspViolations") == []
    context.close()
