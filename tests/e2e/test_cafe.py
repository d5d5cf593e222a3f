"""Two browsers side by side on one debate: each sees the other's posts, reactions and
typing live. The pages are served by uvicorn (WebSockets), on the test database."""

import json
import re

import pytest

from community import services
from tests import factories
from tests.community.factories import CategoryFactory
from tests.community.live import server, session_cookie
from tests.e2e.conftest import CHROMIUM_ARGS, SCREENSHOT_DIR, TIMEOUT_MS  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


@pytest.fixture
def asgi_port(campus_home):
    with server() as port:
        yield port


def open_as(browser, port, user, viewport=None):
    name, value = session_cookie(user).split("=", 1)
    context = browser.new_context(
        base_url=f"http://127.0.0.1:{port}",
        viewport=viewport or {"width": 1280, "height": 900},
        locale="es-ES",
        timezone_id="UTC",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": name, "value": value, "domain": "127.0.0.1", "path": "/"}])
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return context, page


def test_two_browsers_see_each_other_live(browser, asgi_port, screenshot_dir):
    check = expect()
    category = CategoryFactory(slug="cooperacion", name="Cooperación", approve_first_posts=False)
    ana = factories.learner(display_name="Ana Andrade")
    bruno = factories.expert(display_name="Bruno Braga")
    debate = services.do_start_debate(bruno, category, title="Hermanamientos vivos",
                                      body="¿Qué hermanamiento tiene proyectos hoy?")
    contexts = []
    try:
        context_a, page_a = open_as(browser, asgi_port, ana)
        context_b, page_b = open_as(browser, asgi_port, bruno, {"width": 390, "height": 844})
        contexts = [context_a, context_b]
        for page in (page_a, page_b):
            page.goto(f"/cafe/debates/{debate.pk}/")
            check(page.locator("[data-cafe-debate][data-connected='1']")).to_be_attached()

        # Presence: each sees the other reading.
        check(page_a.locator("[data-presence]")).to_contain_text("Bruno Braga")
        check(page_a.locator("[data-presence]")).not_to_contain_text("Ana Andrade")  # not herself

        # Typing in B shows in A.
        page_b.locator("textarea[name=body]").press_sequentially("Medellín y Barcelona")
        check(page_a.locator("[data-typing]")).to_contain_text("Bruno Braga")

        # B publishes (fetch, no reload); A sees the post appear.
        page_b.get_by_role("button", name="Publicar").click()
        check(page_a.locator("[data-posts]")).to_contain_text("Medellín y Barcelona")
        check(page_b.locator("[data-posts]")).to_contain_text("Medellín y Barcelona")
        check(page_b.locator("textarea[name=body]")).to_have_value("")

        # A replies with formatting; B sees it, cleaned.
        page_a.locator("textarea[name=body]").fill(
            "<strong>Quito</strong> también <script>x()</script>"
        )
        page_a.get_by_role("button", name="Publicar").click()
        check(page_b.locator("[data-posts] strong", has_text="Quito")).to_be_visible()
        assert page_b.locator("[data-posts] script").count() == 0

        # A reacts to B's reply; B sees the count change.
        bruno_reply = page_a.locator("article.cafe-post", has_text="Medellín y Barcelona")
        bruno_reply.get_by_role("button", name="Me gusta").click()
        check(bruno_reply.get_by_role("button", name="Me gusta")).to_have_attribute(
            "aria-pressed", "true"
        )
        seen_by_b = page_b.locator("article.cafe-post", has_text="Medellín y Barcelona")
        check(seen_by_b.locator("[data-count=like]")).to_have_text("1")

        page_a.screenshot(path=str(screenshot_dir / "cafe-debate-desktop.png"), full_page=True)
        page_b.screenshot(path=str(screenshot_dir / "cafe-debate-phone.png"), full_page=True)
        assert page_a.js_errors == [] and page_b.js_errors == []
    finally:
        for context in contexts:
            context.close()


def test_posting_without_javascript(browser, asgi_port):
    check = expect()
    category = CategoryFactory(slug="sin-js", approve_first_posts=False)
    member = factories.learner()
    debate = services.do_start_debate(factories.expert(), category, title="Sin JavaScript",
                                      body="Apertura")
    name, value = session_cookie(member).split("=", 1)
    context = browser.new_context(base_url=f"http://127.0.0.1:{asgi_port}",
                                  java_script_enabled=False)
    context.add_cookies([{"name": name, "value": value, "domain": "127.0.0.1", "path": "/"}])
    try:
        page = context.new_page()
        page.goto(f"/cafe/debates/{debate.pk}/")
        page.locator("textarea[name=body]").fill("Publicado con un formulario")
        page.get_by_role("button", name="Publicar").click()
        check(page.locator("[data-posts]")).to_contain_text("Publicado con un formulario")
        # Redirected to the new post's place in the debate (not the form's error page).
        assert re.search(r"/cafe/debates/\d+/\?pagina=\d+#m-\d+$", page.url), page.url
    finally:
        context.close()


def test_text_typed_while_a_post_travels_is_kept(browser, asgi_port):
    # A slow answer: the member sends one message and starts the next before it is back.
    # The answer clears the box only if it still holds what was sent.
    check = expect()
    category = CategoryFactory(slug="respuesta-lenta", approve_first_posts=False)
    member = factories.learner(display_name="Ana Andrade")
    debate = services.do_start_debate(factories.expert(), category, title="Lento",
                                      body="Apertura")
    context, page = open_as(browser, asgi_port, member)
    held = []
    try:
        page.goto(f"/cafe/debates/{debate.pk}/")
        check(page.locator("[data-cafe-debate][data-connected='1']")).to_be_attached()
        page.route(f"**/cafe/debates/{debate.pk}/responder/", lambda route: held.append(route))
        box = page.locator("textarea[name=body]")
        box.fill("El primer mensaje")
        page.get_by_role("button", name="Publicar").click()
        for _attempt in range(TIMEOUT_MS // 50):
            if held:
                break
            page.wait_for_timeout(50)
        assert held, "the post never left"
        box.fill("El segundo, escrito mientras el primero viaja")
        held[0].continue_()
        check(page.locator("[data-posts]")).to_contain_text("El primer mensaje")
        check(page.get_by_role("button", name="Publicar")).not_to_have_attribute(
            "aria-disabled", "true")
        check(box).to_have_value("El segundo, escrito mientras el primero viaja")
        assert debate.posts.filter(body_source="El primer mensaje").count() == 1
        assert page.js_errors == []
    finally:
        context.close()


def focused(page):
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName, text: (el.textContent || "").trim().slice(0, 40),
                name: el.getAttribute("name"), post: el.dataset.postId || null};
    }""")


def tab_until(page, matches, limit):
    """Press Tab until ``matches(focused)``; the number of presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if matches(focused(page)):
            return presses
    raise AssertionError(f"not reached in {limit} Tab presses; focus on {focused(page)}")


def test_replying_with_the_keyboard(browser, asgi_port):
    """From the top of a long debate to a published reply with the keyboard alone: a
    link jumps to the form, and after posting the focus is on the new post, announced."""
    check = expect()
    from community.models import Post

    category = CategoryFactory(slug="teclado", approve_first_posts=False)
    member = factories.learner(display_name="Lía Teclado")
    expert = factories.expert()
    debate = services.do_start_debate(expert, category, title="Con el teclado", body="Apertura")
    for number in range(8):  # several authors: one alone would hit the flood limit
        services.do_create_post(factories.expert(), debate, f"Mensaje número {number}")
    context, page = open_as(browser, asgi_port, member)
    try:
        page.goto(f"/cafe/debates/{debate.pk}/")
        check(page.locator("[data-cafe-debate][data-connected='1']")).to_be_attached()

        tab_until(page, lambda f: f["text"] == "Ir a responder", limit=25)
        page.keyboard.press("Enter")
        # The form's textarea is the next stop but one (the formatting toolbar).
        assert tab_until(page, lambda f: f["name"] == "body", limit=3) <= 2
        page.keyboard.type("Respondo sin ratón")
        tab_until(page, lambda f: f["text"] == "Publicar", limit=5)
        page.keyboard.press("Enter")

        check(page.locator("[data-posts]")).to_contain_text("Respondo sin ratón")
        new_post = Post.objects.filter(debate=debate).latest("pk")
        page.wait_for_function(
            "id => document.activeElement && document.activeElement.dataset.postId === id",
            arg=str(new_post.pk),
        )
        check(page.locator("[data-announce]")).to_have_text("Mensaje publicado.")
        assert "#contenido" not in page.url
        # The focus stays in the debate: the next Tab goes on from the new post.
        page.keyboard.press("Tab")
        assert page.evaluate(
            "id => document.querySelector(`[data-post-id='${id}']`)"
            ".contains(document.activeElement)",
            str(new_post.pk),
        )
        assert page.js_errors == []
    finally:
        context.close()


# Wraps the page's WebSocket: records what it sends, and while armed drops the frames
# the test wants lost (a post.created whose text matches, and resume.done).
SOCKET_SPY = """
(() => {
  const Real = window.WebSocket;
  window.__sent = [];
  window.__dropped = [];
  window.__drop = null;
  window.WebSocket = class extends Real {
    constructor(...args) {
      super(...args);
      window.__ws = this;
      this.addEventListener("message", (message) => {
        const rule = window.__drop;
        if (!rule) return;
        const event = JSON.parse(message.data);
        const body = ((event.post || {}).body_html) || "";
        const lost = event.type === "post.created" && body.includes(rule);
        if (lost || event.type === "resume.done") {
          window.__dropped.push(event.type);
          message.stopImmediatePropagation();
        }
      });
    }
    send(data) { window.__sent.push(data); return super.send(data); }
  };
})();
"""


def wait_until(page, expression):
    """Poll ``expression`` in the page (wait_for_function would need the 'unsafe-eval'
    our Content-Security-Policy refuses)."""
    for _attempt in range(TIMEOUT_MS // 50):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never true: {expression}")


def test_a_reconnecting_browser_does_not_get_twice_the_posts_it_shows(browser, asgi_port):
    # A live post was lost (a gap); the next one arrived, so the browser asked to catch up
    # from before the gap; the socket dropped before the catch-up ended. On the next
    # connection it asks again from before the gap, saying which later posts it shows.
    check = expect()
    category = CategoryFactory(slug="hermanamientos", approve_first_posts=False)
    ana = factories.learner(display_name="Ana Andrade")
    bruno = factories.expert(display_name="Bruno Braga")
    debate = services.do_start_debate(bruno, category, title="Redes", body="Apertura")
    context, page = open_as(browser, asgi_port, ana)
    context_b, page_b = open_as(browser, asgi_port, bruno)
    url = f"/cafe/debates/{debate.pk}/"

    def bruno_posts(text):
        # Through the server, whose channel layer reaches Ana's socket (the embedded
        # default's is in the server's memory).
        page_b.locator("textarea[name=body]").fill(text)
        page_b.get_by_role("button", name="Publicar").click()
        check(page_b.locator("[data-posts]")).to_contain_text(text)
        # The socket can show the post before the form's own answer is back; until then
        # the form is still sending and would ignore the next press.
        check(page_b.locator("textarea[name=body]")).to_have_value("")
        return debate.posts.get(body_source=text)

    try:
        page.add_init_script(SOCKET_SPY)
        for each in (page, page_b):
            each.goto(url)
            check(each.locator("[data-cafe-debate][data-connected='1']")).to_be_attached()
        page.evaluate("window.__drop = 'perdido'")
        lost = bruno_posts("Un mensaje perdido")
        wait_until(page, "window.__dropped.length >= 1")
        shown = bruno_posts("Un mensaje en vivo")
        check(page.locator("[data-posts]")).to_contain_text("Un mensaje en vivo")
        wait_until(page, "window.__dropped.includes('resume.done')")  # catch-up cut
        sent_before = page.evaluate("window.__sent.length")
        page.evaluate("window.__drop = null; window.__ws.close(4000)")
        check(page.locator("[data-posts]")).to_contain_text("Un mensaje perdido")
        frames = [json.loads(frame) for frame in page.evaluate("window.__sent")[sent_before:]]
        resume = next(frame for frame in frames if frame["type"] == "resume")
        assert resume["last_id"] < lost.pk and resume["have"] == [shown.pk]
        posts = page.locator("[data-posts] article.cafe-post")
        check(posts.filter(has_text="Un mensaje en vivo")).to_have_count(1)
        check(posts.filter(has_text="Un mensaje perdido")).to_have_count(1)
        assert page.js_errors == [] and page_b.js_errors == []
    finally:
        context.close()
        context_b.close()
