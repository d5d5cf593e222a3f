"""Fixtures for the browser tests: Debian's Chromium driven by Playwright's sync API
against pytest-django's ``live_server``.

Playwright's sync API keeps an asyncio loop marked as running in the main thread
between calls, for as long as Playwright is started. While it is:

* Django's ORM would raise ``SynchronousOnlyOperation`` in the test thread (fixtures,
  assertions on the database, the flush after each transactional test), so
  ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set;
* no other event loop can run in the main thread, so async tests elsewhere in the
  suite would fail.

One Chromium therefore serves every browser test of the session, but it is started
for the e2e package and stopped (and the variable restored) when the package's last
test is done: pytest-django runs live-server tests together, after the plain
database tests, and non-database (possibly async) tests come after them.
"""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
VIEWPORT = {"width": 1280, "height": 900}  # wide enough for the unfolded header menu
TIMEOUT_MS = 10_000
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture(scope="package")
def _async_unsafe_allowed():
    """Let the ORM run in the main thread while Playwright's loop is marked running."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def playwright(_async_unsafe_allowed):
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    runner = sync_api.sync_playwright().start()
    yield runner
    runner.stop()


@pytest.fixture(scope="package")
def browser(playwright):
    """One headless Chromium for all the browser tests."""
    chromium = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield chromium
    chromium.close()


@pytest.fixture
def browser_context(browser, live_server, settings):
    """A fresh context (cookies, storage) per test, with the live server as base URL.
    The live server is the deployment's public address, so links in e-mails and
    canonical URLs (built on BASE_URL) point at it."""
    settings.BASE_URL = live_server.url
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORT, locale="es-ES", timezone_id="UTC"
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    """A page that records uncaught JavaScript errors in ``page.js_errors``."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    new_page = browser_context.new_page()
    new_page.js_errors = []
    new_page.on("pageerror", lambda error: new_page.js_errors.append(str(error)))
    yield new_page
    new_page.close()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's rate limits live in the cache, which persists across runs in Redis
    (and across tests in the local-memory cache). pytest-django empties the outbox."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def campus_home(transactional_db):
    """The demo home page as the default site root, with its translations.

    Transactional tests end with a flush that also removes what Wagtail's migrations
    created (the default locale and the tree's root), so put those back first.
    """
    from allas_site.core.demo import load_home

    restore_what_a_flush_removed()
    return load_home(io.StringIO())


def restore_what_a_flush_removed():
    """A transactional test's flush also removes what Wagtail's migrations created: the
    default locale, the page tree's root and the root collection."""
    from wagtail.models import Collection, Locale, Page

    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


@pytest.fixture
def screenshot_dir():
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


DEMO_PEOPLE = {
    "learner": "aprendiz@allas.local",
    "expert": "experta@allas.local",
    "admin": "admin@allas.local",
}


@pytest.fixture(scope="package")
def demo_site(django_db_setup, django_db_blocker):
    """The demo content, committed and served by uvicorn, for the browser tests that
    only read it (accessibility, visual check, Content-Security-Policy), built once.

    Those modules are not database tests: pytest-django runs them after every
    transactional test, so no flush removes the demo from under them, and nothing
    that runs after them reads the database."""
    from django.contrib.auth import get_user_model

    from allas_site.core.demo import load_demo
    from tests.community.live import server, session_cookie

    with django_db_blocker.unblock():
        restore_what_a_flush_removed()  # transactional tests ran before these
        # load_demo ends with page_tree.sync_page_tree(): every page has an alias (or a
        # translation) under /en/, /fr/ and /pt/.
        load_demo(io.StringIO())
        users = get_user_model().objects
        cookies = {role: session_cookie(users.get(email=email))
                   for role, email in DEMO_PEOPLE.items()}
    with server() as port:
        yield {"port": port, "cookies": cookies}

