"""Every page type, in the four languages, anonymous and signed in, through axe-core
(WCAG 2.2 AA rules and axe's best practices) and at a phone's width (390 px).

The demo site is loaded once for the browser tests (``demo_site``), and each page is
opened once per language and role: axe runs on it at desktop width, then the same page is
narrowed to 390 px and measured. The first test to ask measures every language and role;
the tests then read those results, so each language, role and check passes or fails on
its own.

The pages are served by uvicorn on the test database (pytest-django's live server would
need a transactional_db fixture per test, which empties the database after each).
"""

import json
import os
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

from tests.e2e.conftest import DEMO_PEOPLE, TIMEOUT_MS

# Not database tests: demo_site commits the demo once, into the test database (its
# django_db_setup), and the test thread holds no transaction that would lock SQLite
# for the server.
pytestmark = pytest.mark.browser

LANGUAGES = ["es", "en", "fr", "pt"]
ROLES = ["anonymous", "learner", "expert"]
FAILING_IMPACTS = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LEARNER = DEMO_PEOPLE["learner"]
EXPERT = DEMO_PEOPLE["expert"]
AXE_TAGS = [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice", "experimental"
]
REPORT = Path(settings.BASE_DIR) / "var" / "accessibility-report.json"
# A11Y_SCREENSHOTS=1 keeps screenshots of every page (the desktop viewport, the whole page
# at 390 px) under var/screenshots/.
SCREENSHOTS = os.environ.get("A11Y_SCREENSHOTS") and Path(settings.BASE_DIR) / "var/screenshots"

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}"""

# Elements reaching past the viewport, outermost first. Content inside a box that
# scrolls sideways is reachable (a wide table in a scrolling frame), unless it is
# positioned out of it: a visually hidden text in a table cell is placed against the
# page when no ancestor is positioned, and widens the page though it is 1 px wide.
OVERFLOW = """() => {
  const root = document.scrollingElement;
  const width = root.clientWidth;
  const describe = (el) => {
    const parts = [];
    for (let node = el; node && node !== document.body && parts.length < 3;
         node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id) part += "#" + node.id;
      else if (node.classList.length) part += "." + [...node.classList].join(".");
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  const scrollsSideways = (el) => {
    if (["absolute", "fixed"].includes(getComputedStyle(el).position)) return false;
    for (let node = el.parentElement; node && node !== document.body;
         node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      if (overflow === "auto" || overflow === "scroll") return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right <= width + 1 && box.left >= -1) continue;
    if (wide.some((outer) => outer.contains(el)) || scrollsSideways(el)) continue;
    wide.push(el);
  }
  return {
    scrollWidth: root.scrollWidth, clientWidth: width,
    wide: [...new Set(wide.map((el) => {
      const box = el.getBoundingClientRect();
      return `${describe(el)} (${Math.round(box.left)}..${Math.round(box.right)} px)`;
    }))].slice(0, 8),
  };
}"""


@cache
def axe_source():
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text()


def page_types():
    """One page of each type from the demo content: (name, Spanish path, roles)."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Locale

    from allas_site.partners.models import Partner
    from allas_site.publications.models import (
        MessagesPage,
        PublicationIndexPage,
        PublicationPage,
        StandardPage,
    )
    from allas_site.topics.models import Topic
    from community.models import Access, Category, Debate, Post
    from courses.models import Certificate, CourseIndexPage, LessonPage
    from webinars.models import WebinarIndexPage, WebinarPage

    spanish = Locale.get_default()

    def url_of(model):
        return model.objects.live().filter(locale=spanish).order_by("path").first().url

    learner = get_user_model().objects.get(email=LEARNER)
    certificate = Certificate.objects.filter(enrollment__user=learner).get()
    course = certificate.enrollment.course.specific
    lessons = LessonPage.objects.live().child_of(course).order_by("path").specific()
    quiz_lesson = next(lesson for lesson in lessons if lesson.has_quiz)
    category = Category.objects.filter(
        read_access=Access.EVERYONE, debates__posts__isnull=False
    ).order_by("order", "pk").first()
    debate = Debate.objects.filter(category=category, posts__isnull=False).order_by("pk").first()
    posts = Post.objects.filter(debate=debate).order_by("pk")
    own_post = posts.filter(author__email=EXPERT).first()
    other_post = posts.exclude(author__email=EXPERT).first()
    everyone = ("anonymous", "learner")
    cafe = ("anonymous", "expert")
    return [
        ("home", "/", everyone),
        ("cuadernos", url_of(PublicationIndexPage), everyone),
        ("cuaderno", url_of(PublicationPage), everyone),
        ("messages", url_of(MessagesPage), everyone),
        ("about", url_of(StandardPage), everyone),
        ("partners", "/socios/", everyone),
        ("partner", f"/socios/{Partner.objects.order_by('pk').first().slug}/", everyone),
        ("topics", "/temas/", everyone),
        ("topic", f"/temas/{Topic.objects.order_by('pk').first().slug}/", everyone),
        ("courses", url_of(CourseIndexPage), everyone),
        ("course", course.url, everyone),
        ("lesson", lessons.first().url, everyone),
        ("quiz result", quiz_lesson.url, ("learner",)),
        ("my learning", "/mi-aprendizaje/", ("learner",)),
        ("certificate", f"/certificados/{certificate.code}/", everyone),
        ("verification", "/certificados/", everyone),
        ("webinars", url_of(WebinarIndexPage), everyone),
        ("webinar", url_of(WebinarPage), everyone),
        ("cafe", "/cafe/", cafe),
        ("category", f"/cafe/{category.slug}/", cafe),
        ("debate", f"/cafe/debates/{debate.pk}/", cafe),
        ("new debate", "/cafe/nuevo/", ("expert",)),
        ("cafe settings", "/cafe/preferencias/", ("expert",)),
        ("edit post", f"/cafe/mensajes/{own_post.pk}/editar/", ("expert",)),
        ("report post", f"/cafe/mensajes/{other_post.pk}/denunciar/", ("expert",)),
        ("notifications", "/notificaciones/", ("learner",)),
        ("profile", "/cuentas/perfil/", ("learner",)),
        ("profile edit", "/cuentas/perfil/editar/", ("learner",)),
        ("person", f"/cuentas/personas/{learner.pk}/", ("learner",)),
        ("email", "/cuentas/email/", ("learner",)),
        ("password", "/cuentas/password/change/", ("learner",)),
        ("two-step", "/cuentas/2fa/", ("learner",)),
        ("delete account", "/cuentas/perfil/eliminar/", ("learner",)),
        ("reauthenticate", "/cuentas/reauthenticate/", ("learner",)),
        ("login", "/cuentas/login/", ("anonymous",)),
        ("signup", "/cuentas/signup/", ("anonymous",)),
        ("password reset", "/cuentas/password/reset/", ("anonymous",)),
        ("search", "/buscar/?q=ciudades", everyone),
        ("search, nothing found", "/buscar/?q=qwertyuiop", ("anonymous",)),
        ("404", "/no-existe/", ("anonymous", "learner")),
    ]


@pytest.fixture(scope="module")
def audit(browser, demo_site, django_db_blocker):
    """``audit(language, role)``: each page's status, axe violations and width at 390 px,
    measured once and shared by both tests."""
    base_url = f"http://127.0.0.1:{demo_site['port']}"
    contexts, results = {}, {}
    with django_db_blocker.unblock():
        pages = page_types()

    def tab(role):
        if role not in contexts:
            context = browser.new_context(
                base_url=base_url, viewport=DESKTOP, locale="es-ES", timezone_id="UTC"
            )
            context.set_default_timeout(TIMEOUT_MS)
            if role in demo_site["cookies"]:
                name, value = demo_site["cookies"][role].split("=", 1)
                context.add_cookies(
                    [{"name": name, "value": value, "domain": "127.0.0.1", "path": "/"}]
                )
            contexts[role] = context.new_page()
        return contexts[role]

    def measure(language, role):
        if not results:
            for each_language in LANGUAGES:
                for each_role in ROLES:
                    results[each_language, each_role] = visit(each_language, each_role)
        return results[language, role]

    def visit(language, role):
        page = tab(role)
        prefix = "" if language == "es" else f"/{language}"
        found = []
        for name, path, roles in pages:
            if role not in roles:
                continue
            url = prefix + path
            page.set_viewport_size(DESKTOP)
            response = page.goto(url)
            page.evaluate(axe_source())
            violations = page.evaluate(AXE_RUN, AXE_TAGS)
            shot = f"a11y-{language}-{role}-{name}".replace(" ", "-")
            if SCREENSHOTS:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"{shot}-desktop.png"))
            page.set_viewport_size(PHONE)
            overflow = page.evaluate(OVERFLOW)
            if SCREENSHOTS:
                page.screenshot(path=str(SCREENSHOTS / f"{shot}.png"), full_page=True)
            found.append({
                "name": name, "url": url, "final_url": page.url,
                "status": response.status, "expected": 404 if name == "404" else 200,
                "violations": violations, "overflow": overflow,
            })
        return found

    yield measure
    for page in contexts.values():
        page.context.close()
    if results:
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        summary = {
            f"{language} {role}": {
                item["name"]: {
                    "status": item["status"],
                    "violations": {v["id"]: [v["impact"], len(v["targets"]), v["targets"][:3]]
                                   for v in item["violations"]},
                    "overflow": item["overflow"],
                }
                for item in found
            }
            for (language, role), found in results.items()
        }
        REPORT.write_text(json.dumps(summary, indent=1, ensure_ascii=False))


def _wrong_status(item):
    if item["status"] == item["expected"]:
        return None
    return f"{item['url']}: answered {item['status']} instead of {item['expected']}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_serious_axe_violations(audit, language, role):
    problems = []
    for item in audit(language, role):
        if wrong := _wrong_status(item):
            problems.append(wrong)
            continue
        for violation in item["violations"]:
            if violation["impact"] not in FAILING_IMPACTS:
                continue
            problems.append(
                f"{item['name']} {item['url']}: [{violation['impact']}] {violation['id']}: "
                f"{violation['help']}\n      at " + "\n      at ".join(violation["targets"][:5])
            )
    assert not problems, f"{len(problems)} problems ({language}, {role}):\n  " + "\n  ".join(
        problems
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_horizontal_overflow_at_390px(audit, language, role):
    problems = []
    for item in audit(language, role):
        if wrong := _wrong_status(item):
            problems.append(wrong)
            continue
        overflow = item["overflow"]
        if overflow["scrollWidth"] > overflow["clientWidth"] or overflow["wide"]:
            problems.append(
                f"{item['name']} {item['url']}: {overflow['scrollWidth']} px wide in a "
                f"{overflow['clientWidth']} px viewport\n      "
                + "\n      ".join(overflow["wide"] or ["(no single element found)"])
            )
    assert not problems, f"{len(problems)} pages ({language}, {role}):\n  " + "\n  ".join(
        problems
    )
