"""The visual regression check: every page type at 1366 and 390 px, in Spanish and in
French (the longest of the four languages), as a visitor and, for members' pages, as a
learner. Each page is screenshotted (whole page) into ``var/screenshots/visual/``
(git-ignored) for a person to look at, and measured in the page itself for:

* horizontal overflow: the document wider than the viewport;
* overlapping boxes: cards, avatars, buttons, form fields, navigation links and
  language codes that intersect another of them by more than 2 px each way (an avatar
  stack that hides part of the next avatar's initials counts);
* text cut: a button, a link styled as a button, a navigation link or a chip whose
  text is wider or taller than its box (or cut with an ellipsis), and a form field
  whose placeholder does not fit.

The header gets a sweep of its own through the widths where French crowded it (the
whole row unfolds from 1217 px), and the network map's names must not cover another
city's marker nor leave the map.

As in ``test_accessibility.py`` (whose demo site fixture this module reuses), the
first test to ask measures every language and viewport, since the database is emptied
after each transactional test; the tests then read those results. ``paths`` lists the
screenshots (also in ``var/screenshots/visual/index.txt``), printed by the last test.
"""

import base64
import shutil
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_accessibility import LEARNER

# Not database tests: the demo is committed once for the package (see demo_site).
pytestmark = pytest.mark.browser

LANGUAGES = ["es", "fr"]
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
SEARCH_WORDS = {"es": "ciudades", "fr": "villes"}
HEADER_WIDTHS = [960, 961, 1100, 1216, 1280, 1366]  # up to 60rem (960 px) the header folds
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "visual"
TOLERANCE = 2  # px: borders that touch, sub-pixel rounding

# Faults that another engineer's change fixes: while they are open, a check that finds
# only them is an expected failure naming them (any other fault still fails it).
PENDING = {
    # (check, page name): reason
}

MEASURE = """([tolerance, rootSelector]) => {
  const root = document.querySelector(rootSelector) || document.body;
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width >= 4 && box.height >= 4
      && el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  };
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    else if (el.classList.length) name += "." + [...el.classList].slice(0, 2).join(".");
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "")
      .trim().replace(/\\s+/g, " ").slice(0, 40);
    return text ? `${name} "${text}"` : name;
  };

  // Overlaps: every pair of boxes that are neither inside the other.
  const BOXES = [
    ".card", ".avatar", ".button", "button", "[role=button]", "summary", ".chip",
    ".main-nav a", ".language-switcher a", ".language-switcher [aria-current]", ".tabs a",
    ".brand", ".bell", "input:not([type=hidden]):not([type=checkbox]):not([type=radio])",
    "select", "textarea", ".pagination a",
  ].join(", ");
  const boxes = [...root.querySelectorAll(BOXES)].filter(shown);
  const rects = boxes.map((el) => el.getBoundingClientRect());
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      if (a.contains(b) || b.contains(a)) continue;
      const [p, q] = [rects[i], rects[j]];
      const across = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const down = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (across > tolerance && down > tolerance) {
        const size = `${Math.round(across)}×${Math.round(down)} px`;
        overlaps.push(`${describe(a)} × ${describe(b)} (${size})`);
      }
    }
  }

  // Text cut inside buttons and button-like links.
  const CUT = [
    ".button", "button", "[role=button]", "summary", ".chip", ".main-nav a",
    ".language-switcher a", ".tabs a", ".pagination a",
  ].join(", ");
  const cut = [];
  for (const el of root.querySelectorAll(CUT)) {
    if (!shown(el) || !el.innerText.trim()) continue;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
      const text = `${el.scrollWidth}×${el.scrollHeight}`;
      cut.push(`${describe(el)}: text ${text} in ${el.clientWidth}×${el.clientHeight} px`);
      continue;
    }
    for (const part of [el, ...el.querySelectorAll("*")]) {
      const clipped = part.scrollWidth > part.clientWidth + 1;
      if (clipped && getComputedStyle(part).textOverflow === "ellipsis" && shown(part)) {
        cut.push(`${describe(el)}: cut with an ellipsis`);
        break;
      }
    }
  }
  const ruler = document.createElement("canvas").getContext("2d");
  for (const field of root.querySelectorAll("input[placeholder], textarea[placeholder]")) {
    if (!shown(field) || field.value) continue;
    const style = getComputedStyle(field);
    ruler.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const needed = ruler.measureText(field.placeholder).width;
    if (needed > room + 1) {
      const sizes = `needs ${Math.ceil(needed)} px, has ${Math.floor(room)} px`;
      cut.push(`${describe(field)}: placeholder "${field.placeholder}" ${sizes}`);
    }
  }

  // Words broken across two lines in titles of cards and buttons ("Internacionaliza-ción").
  const broken = [];
  const TITLES = ".card__title, .card h2, .card h3, .button, button";
  for (const title of root.querySelectorAll(TITLES)) {
    if (!shown(title)) continue;
    const walker = document.createTreeWalker(title, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S{4,}/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(`${describe(title)}: "${match[0]}" on ${lines.size} lines`);
      }
    }
  }

  // The network map: a city's name, when shown, covers no other city's marker and stays
  // inside the map (the SVG clips what passes its edge).
  const map = [];
  for (const svg of root.querySelectorAll(".network-map__svg")) {
    if (!shown(svg)) continue;
    const view = svg.viewBox.baseVal;
    const cities = [...svg.querySelectorAll(".network-map__city")];
    const dots = cities.map((city) => {
      const dot = city.querySelector(".network-map__dot");
      return {city, x: dot.cx.baseVal.value, y: dot.cy.baseVal.value,
              r: parseFloat(getComputedStyle(dot).r) || dot.r.baseVal.value};
    });
    // Markers apart: two dots may touch, not cover each other (by more than the tolerance
    // on the screen).
    const unitsPerPixel = view.width / svg.getBoundingClientRect().width;
    dots.forEach((dot, i) => dots.slice(i + 1).forEach((other) => {
      const covered = dot.r + other.r - Math.hypot(dot.x - other.x, dot.y - other.y);
      if (covered > tolerance * unitsPerPixel) {
        const [a, b] = [dot, other].map((d) => d.city.getAttribute("aria-label"));
        map.push(`the markers of ${a} and ${b} cover each other`);
      }
    }));
    for (const {city} of dots) {
      const label = city.querySelector(".network-map__label");
      const halo = parseFloat(getComputedStyle(label).strokeWidth) / 2 || 0;
      const b = label.getBBox();
      const box = {left: b.x - halo, right: b.x + b.width + halo,
                   top: b.y - halo, bottom: b.y + b.height + halo};
      const name = label.textContent.trim();
      if (box.left < view.x || box.top < view.y || box.right > view.x + view.width
          || box.bottom > view.y + view.height) {
        map.push(`"${name}" passes the map's edge`);
      }
      for (const other of dots) {
        if (other.city === city) continue;
        const nearestX = Math.max(box.left, Math.min(other.x, box.right));
        const nearestY = Math.max(box.top, Math.min(other.y, box.bottom));
        if (Math.hypot(other.x - nearestX, other.y - nearestY) < other.r) {
          map.push(`"${name}" covers the marker of ${other.city.getAttribute("aria-label")}`);
        }
      }
    }
  }

  const page = document.scrollingElement;
  return {
    scrollWidth: page.scrollWidth, clientWidth: page.clientWidth,
    overlaps, cut, map, broken,
    maps: [...root.querySelectorAll(".network-map__svg")].filter(shown).length,
    header: Math.round(document.querySelector(".site-header")?.getBoundingClientRect().height),
    navLine: Math.round(document.querySelector(".main-nav ul")?.getBoundingClientRect().height),
    menuButton: Boolean(document.querySelector(".nav-toggle")?.checkVisibility()),
  };
}"""


def page_list():
    """(name, Spanish path, role) of every page type, from the demo content."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from wagtail.models import Locale

    from allas_site.partners.models import Partner
    from allas_site.publications.models import (
        MessagesPage,
        PublicationIndexPage,
        PublicationPage,
        StandardPage,
    )
    from allas_site.topics.models import Topic
    from community.models import Access, Category, Debate
    from courses.models import Certificate, CourseIndexPage, LessonPage
    from webinars.models import WebinarIndexPage, WebinarPage

    spanish = Locale.get_default()

    def first(model):
        return model.objects.live().filter(locale=spanish).order_by("path").first()

    learner = get_user_model().objects.get(email=LEARNER)
    certificate = Certificate.objects.filter(enrollment__user=learner).first()
    course = certificate.enrollment.course.specific
    lesson = LessonPage.objects.live().child_of(course).order_by("path").first()
    category = Category.objects.filter(
        read_access=Access.EVERYONE, debates__posts__isnull=False
    ).order_by("order", "pk").first()
    debate = Debate.objects.filter(category=category, posts__isnull=False).order_by("pk").first()
    webinars = WebinarPage.objects.live().filter(locale=spanish).order_by("starts_at")
    now = timezone.now()
    upcoming = webinars.filter(ends_at__gte=now).first()
    past = webinars.filter(ends_at__lt=now).last()
    visitor, learner_role = "visitor", "learner"
    # Sections whose demo content is still being written: covered once it is loaded.
    from participation.campaigns.models import CampaignIndexPage, CampaignPage
    from participation.consultations.models import ConsultationIndexPage, ConsultationPage

    newer = [
        (name, page.url, visitor)
        for name, model in [
            ("consultations", ConsultationIndexPage), ("consultation", ConsultationPage),
            ("campaigns", CampaignIndexPage), ("campaign", CampaignPage),
        ]
        if (page := first(model)) is not None
    ]
    return newer + [
        ("home", "/", visitor),
        ("cuadernos", first(PublicationIndexPage).url, visitor),
        ("cuaderno", first(PublicationPage).url, visitor),
        ("messages", first(MessagesPage).url, visitor),
        ("standard-page", first(StandardPage).url, visitor),
        ("topics", "/temas/", visitor),
        ("topic", f"/temas/{Topic.objects.order_by('pk').first().slug}/", visitor),
        ("partners", "/socios/", visitor),
        ("partner", f"/socios/{Partner.objects.order_by('pk').first().slug}/", visitor),
        ("courses", first(CourseIndexPage).url, visitor),
        ("course", course.url, visitor),
        ("lesson", lesson.url, visitor),
        ("verification", "/certificados/", visitor),
        ("certificate", f"/certificados/{certificate.code}/", visitor),
        ("cafe", "/cafe/", visitor),
        ("category", f"/cafe/{category.slug}/", visitor),
        ("debate", f"/cafe/debates/{debate.pk}/", visitor),
        ("webinars", first(WebinarIndexPage).url, visitor),
        ("webinar", upcoming.url, visitor),
        ("webinar-archive", past.url, visitor),
        ("search", "/buscar/?q={search}", visitor),
        ("login", "/cuentas/login/", visitor),
        ("signup", "/cuentas/signup/", visitor),
        ("404", "/no-existe/", visitor),
        ("home", "/", learner_role),
        ("course", course.url, learner_role),
        ("my-learning", "/mi-aprendizaje/", learner_role),
        ("notifications", "/notificaciones/", learner_role),
        ("profile", "/cuentas/perfil/", learner_role),
        ("person", f"/cuentas/personas/{learner.pk}/", learner_role),
    ]


def capture_whole_page(tab, path):
    """The whole page as a PNG through Chromium's own call with its fast encoder
    (optimizeForSpeed), twice as fast as Playwright's full-page screenshot; most of the
    module's time is spent encoding these pictures."""
    if not hasattr(tab, "cdp"):
        tab.cdp = tab.context.new_cdp_session(tab)
    size = tab.cdp.send("Page.getLayoutMetrics")["cssContentSize"]
    shot = tab.cdp.send("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True, "optimizeForSpeed": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
    })
    path.write_bytes(base64.b64decode(shot["data"]))


@pytest.fixture(scope="module")
def visual(browser, demo_site, django_db_blocker):
    """Every page's measures and screenshot, and the French header's sweep, taken once
    for the module while the demo content is in the database."""
    started = time.monotonic()
    with django_db_blocker.unblock():
        pages = page_list()
    base_url = f"http://127.0.0.1:{demo_site['port']}"
    if SHOTS.exists():
        shutil.rmtree(SHOTS)  # only this run's pictures, none from pages that are gone
    SHOTS.mkdir(parents=True)
    found = {"pages": {}, "header": [], "shots": []}
    contexts = []

    def open_tab(language, viewport, role):
        context = browser.new_context(
            base_url=base_url, viewport=VIEWPORTS[viewport],
            locale="fr-FR" if language == "fr" else "es-ES", timezone_id="UTC",
        )
        context.set_default_timeout(TIMEOUT_MS)
        if role == "learner":
            name, value = demo_site["cookies"]["learner"].split("=", 1)
            context.add_cookies(
                [{"name": name, "value": value, "domain": "127.0.0.1", "path": "/"}]
            )
        contexts.append(context)
        return context.new_page()

    try:
        for language in LANGUAGES:
            prefix = "" if language == "es" else f"/{language}"
            for viewport in VIEWPORTS:
                rows = found["pages"][language, viewport] = []
                tabs = {}
                for name, path, role in pages:
                    if role not in tabs:
                        tabs[role] = open_tab(language, viewport, role)
                    tab = tabs[role]
                    url = prefix + path.format(search=SEARCH_WORDS[language])
                    response = tab.goto(url)
                    measures = tab.evaluate(MEASURE, [TOLERANCE, "body"])
                    shot = SHOTS / f"{language}-{viewport}-{role}-{name}.png"
                    capture_whole_page(tab, shot)
                    found["shots"].append(shot)
                    rows.append({
                        "name": name, "role": role, "url": url, "final": tab.url,
                        "status": response.status, "measures": measures,
                        "results": tab.locator(".search-result").count() if name == "search"
                        else None,
                    })
        # The French header through the widths where it used to crowd.
        for role in ("visitor", "learner"):
            tab = open_tab("fr", "desktop", role)
            tab.goto("/fr/")
            for width in HEADER_WIDTHS:
                tab.set_viewport_size({"width": width, "height": 900})
                measures = tab.evaluate(MEASURE, [TOLERANCE, ".site-header"])
                shot = SHOTS / f"fr-header-{width}-{role}.png"
                tab.screenshot(path=str(shot), clip={
                    "x": 0, "y": 0, "width": width, "height": measures["header"],
                })
                found["shots"].append(shot)
                found["header"].append({"width": width, "role": role, "measures": measures})
    finally:
        for context in contexts:
            context.close()
    found["seconds"] = time.monotonic() - started
    (SHOTS / "index.txt").write_text(
        "".join(f"{shot.relative_to(settings.BASE_DIR)}\n" for shot in found["shots"])
    )
    return found


CASES = [(language, viewport) for language in LANGUAGES for viewport in VIEWPORTS]
CASE_IDS = [f"{language}-{viewport}" for language, viewport in CASES]


def _report(check, language, viewport, problems):
    """Fail on problems not in ``PENDING``; an expected failure when only those remain."""
    pending = [(name, text) for name, text in problems if (check, name) in PENDING]
    other = [text for name, text in problems if (check, name) not in PENDING]
    assert not other, f"{len(other)} {check} problems ({language}, {viewport}):\n  " + (
        "\n  ".join(other)
    )
    if pending:
        reasons = sorted({PENDING[check, name] for name, _text in pending})
        pytest.xfail("; ".join(reasons) + ":\n  " + "\n  ".join(text for _n, text in pending))


def test_every_page_type_answers(visual):
    problems = []
    for (language, viewport), rows in visual["pages"].items():
        for row in rows:
            expected = 404 if row["name"] == "404" else 200
            where = f"{language} {viewport} {row['role']} {row['url']}"
            if row["status"] != expected:
                problems.append(f"{where}: {row['status']} instead of {expected}")
            elif "/login/" in row["final"] and row["name"] != "login":
                problems.append(f"{where}: sent to the log-in page")
            elif row["results"] == 0:
                problems.append(f"{where}: no search results to look at")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("language", "viewport"), CASES, ids=CASE_IDS)
def test_no_horizontal_overflow(visual, language, viewport):
    problems = [
        (row["name"], f"{row['role']} {row['url']}: {row['measures']['scrollWidth']} px wide "
                      f"in {row['measures']['clientWidth']} px")
        for row in visual["pages"][language, viewport]
        if row["measures"]["scrollWidth"] > row["measures"]["clientWidth"]
    ]
    _report("overflow", language, viewport, problems)


@pytest.mark.parametrize(("language", "viewport"), CASES, ids=CASE_IDS)
def test_no_overlapping_boxes(visual, language, viewport):
    problems = [
        (row["name"], f"{row['role']} {row['url']}: {overlap}")
        for row in visual["pages"][language, viewport]
        for overlap in row["measures"]["overlaps"]
    ]
    _report("overlap", language, viewport, problems)


@pytest.mark.parametrize(("language", "viewport"), CASES, ids=CASE_IDS)
def test_no_text_cut_in_buttons_and_fields(visual, language, viewport):
    problems = [
        (row["name"], f"{row['role']} {row['url']}: {cut}")
        for row in visual["pages"][language, viewport]
        for cut in row["measures"]["cut"]
    ]
    _report("cut", language, viewport, problems)


@pytest.mark.parametrize(("language", "viewport"), CASES, ids=CASE_IDS)
def test_no_word_broken_in_card_titles_and_buttons(visual, language, viewport):
    problems = [
        (row["name"], f"{row['role']} {row['url']}: {broken}")
        for row in visual["pages"][language, viewport]
        for broken in row["measures"]["broken"]
    ]
    _report("words", language, viewport, problems)


@pytest.mark.parametrize(("language", "viewport"), CASES, ids=CASE_IDS)
def test_network_maps_stay_clear(visual, language, viewport):
    """On every page with a map (the home page, the directory, a campaign's signatories):
    markers apart, and names clear of other markers and inside the map."""
    rows = visual["pages"][language, viewport]
    assert {"home", "partners"} <= {row["name"] for row in rows if row["measures"]["maps"]}
    problems = [
        (row["name"], f"{row['role']} {row['url']}: {problem}")
        for row in rows
        for problem in row["measures"]["map"]
    ]
    _report("map", language, viewport, problems)


def test_french_header_fits(visual):
    """From 961 px the header shows two rows (brand, search, account and languages; then
    the sections on one line), nothing overlaps, nothing is cut (the search field keeps
    room for 'Rechercher…'); at 960 px it folds into the menu button."""
    problems = []
    for row in visual["header"]:
        measures, where = row["measures"], f"{row['width']} px, {row['role']}"
        folded = row["width"] <= 960
        if measures["menuButton"] != folded:
            problems.append(f"{where}: the menu button is {'missing' if folded else 'shown'}")
        if not folded and (measures["header"] > 110 or measures["navLine"] > 50):
            problems.append(
                f"{where}: a row wrapped (header {measures['header']} px tall, "
                f"sections {measures['navLine']} px)"
            )
        problems += [f"{where}: {text}" for text in measures["overlaps"] + measures["cut"]]
    assert not problems, "\n".join(problems)


def test_screenshots_listed(visual, capsys):
    shots = visual["shots"]
    expected = len(LANGUAGES) * len(VIEWPORTS) * len(visual["pages"]["es", "desktop"])
    assert len(shots) == expected + 2 * len(HEADER_WIDTHS)
    assert all(shot.stat().st_size > 1000 for shot in shots)
    index = SHOTS / "index.txt"
    assert index.read_text().split() == [str(s.relative_to(settings.BASE_DIR)) for s in shots]
    with capsys.disabled():
        print(f"\n{len(shots)} screenshots in {visual['seconds']:.0f} s (the demo's loading "
              f"not counted), listed in {index.relative_to(settings.BASE_DIR)}:")
        for shot in shots:
            print(f"  {shot.relative_to(settings.BASE_DIR)}")


PROBLEMS = """<!doctype html><html lang="en"><body style="margin:0">
<p><a class="button" href="#" style="display:inline-block;width:4rem;overflow:hidden;
   white-space:nowrap">A label much longer than its button</a>
   <a class="button" href="#" style="display:inline-block;margin-left:1rem">Clear</a>
   <button type="button" style="width:8rem;overflow:hidden;text-overflow:ellipsis;
   white-space:nowrap">Ellipsis on a label too long</button></p>
<p><button type="button">Touching</button><button type="button">buttons</button></p>
<ul style="display:flex;list-style:none">
  <li><span class="avatar" style="display:inline-grid;width:40px;height:40px">AB</span></li>
  <li style="margin-left:-24px"><span class="avatar" style="display:inline-grid;width:40px;
      height:40px">CD</span></li>
</ul>
<input placeholder="A placeholder longer than its field" style="width:5rem">
<div class="card" style="width:6rem"><h3 class="card__title" style="overflow-wrap:anywhere">
  Internacionalización</h3></div>
<div style="width:2000px;height:4px"></div>
<svg class="network-map__svg" viewBox="0 0 200 100" width="400" height="200">
  <a class="network-map__city" href="#a" aria-label="A"><circle class="network-map__dot"
     cx="20" cy="50" r="5"/><text class="network-map__label" x="28" y="55"
     font-size="14">Alpha town</text></a>
  <a class="network-map__city" href="#b" aria-label="B"><circle class="network-map__dot"
     cx="60" cy="50" r="5"/><text class="network-map__label" x="150" y="55"
     font-size="14">Beyond the edge</text></a>
  <a class="network-map__city" href="#c" aria-label="C"><circle class="network-map__dot"
     cx="14" cy="44" r="5"/><text class="network-map__label" x="4" y="80">C</text></a>
</svg>
</body></html>"""


def test_the_measures_find_what_they_look_for(browser):
    """The checks above pass on the campus; here they must fail on a page made of the
    faults they look for, and leave alone what is fine (buttons that only touch)."""
    tab = browser.new_page(viewport=VIEWPORTS["phone"])
    try:
        tab.set_content(PROBLEMS)
        measures = tab.evaluate(MEASURE, [TOLERANCE, "body"])
    finally:
        tab.close()
    assert measures["scrollWidth"] > measures["clientWidth"] == 390
    overlaps = "\n".join(measures["overlaps"])
    assert 'span.avatar "AB" × span.avatar "CD"' in overlaps  # a stack hiding initials
    assert "Touching" not in overlaps
    cut = "\n".join(measures["cut"])
    assert '"A label much longer than its button": text' in cut
    assert '"Ellipsis on a label too long": text' in cut
    assert 'placeholder "A placeholder longer than its field" needs' in cut
    assert "Clear" not in cut and "Touching" not in cut
    assert len(measures["broken"]) == 1
    assert measures["broken"][0].startswith('h3.card__title "Internacionalización": "Internac')
    assert measures["map"] == [
        "the markers of A and C cover each other",
        '"Alpha town" covers the marker of B', '"Beyond the edge" passes the map\'s edge',
    ]
