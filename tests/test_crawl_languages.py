"""Every link a visitor can follow works in every language.

From each language's home page, as an anonymous visitor and as a learner, follow
every internal link of the header, the footer and the home page, then every link of
the pages they lead to (the listings: Cuadernos, courses, Café, partners, topics,
messages…). A link must not answer 404 or 5xx, and a page must declare the language
of its URL in ``<html lang>``. The demo content is what a new visitor sees, so it is
what is crawled.

The table of pages × languages × roles is written to ``var/crawl-languages.json``.
"""

import json
import re
from collections import Counter
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

pytestmark = pytest.mark.django_db

PREFIXES = {"es": "/", "en": "/en/", "fr": "/fr/", "pt": "/pt/"}
# Not pages a reader opens: downloads, the admin, feeds' binary twins, log-out (a POST).
SKIPPED = re.compile(
    r"^/(?:(?:en|fr|pt)/)?(?:admin/|documents/|media/|static/|cuentas/logout/|i18n/)"
    r"|\.(?:pdf|ics|png|jpe?g|svg|webp)$"
)
MAX_DEPTH = 2


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self.lang = None
        self.in_template = 0  # <template> holds markup for scripts, not links to follow

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "template":
            self.in_template += 1
        elif tag == "a" and attrs.get("href") and not self.in_template:
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "template":
            self.in_template -= 1


def _language_of(path):
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in PREFIXES and first != "es" else settings.LANGUAGE_CODE


def _internal(href):
    href = urldefrag(href)[0]
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https") or not parts.path.startswith("/"):
        return None
    if parts.netloc and parts.netloc not in ("testserver", urlsplit(settings.BASE_URL).netloc):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if SKIPPED.search(parts.path) else path


def crawl(client, start):
    """Breadth-first from ``start`` to ``MAX_DEPTH`` links away; returns
    ``{path: (status, lang, found_on)}``."""
    seen = {start: (None, None, "—")}
    frontier = [start]
    for depth in range(MAX_DEPTH + 1):
        following = []
        for path in frontier:
            response = client.get(path)
            lang = None
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                parser = _Links()
                parser.feed(response.content.decode())
                lang = parser.lang
                if depth < MAX_DEPTH:
                    for href in parser.links:
                        target = _internal(href)
                        if target and target not in seen:
                            seen[target] = (None, None, path)
                            following.append(target)
            seen[path] = (response.status_code, lang, seen[path][2])
        frontier = following
    return seen


@pytest.fixture
def demo(settings, tmp_path):
    """The demo content, inside the test's transaction (rolled back after it)."""
    settings.MEDIA_ROOT = tmp_path / "demo-media"
    call_command("load_demo", stdout=StringIO())


ROLES = ["anonymous", "learner"]


def test_every_linked_page_answers_in_its_language(demo, client):
    """As a visitor, then as a learner, on one demo (building it is the slow part)."""
    report = Path(settings.BASE_DIR) / "var" / "crawl-languages.json"
    report.parent.mkdir(exist_ok=True)
    existing = json.loads(report.read_text()) if report.exists() else {}
    failures = []
    for role in ROLES:
        if role == "learner":
            client.force_login(get_user_model().objects.get(email="aprendiz@allas.local"))
        table = existing[role] = crawl_as(client)
        failures += [f"[{role}] {failure}" for failure in table.pop("failures")]
        # The crawl reached every language's content, not just four home pages.
        assert all(row["pages"] > 20 for row in table.values()), (role, table)
    report.write_text(json.dumps(existing, indent=2))
    assert not failures, f"{len(failures)} broken links:\n" + "\n".join(sorted(set(failures)))


def crawl_as(client):
    """Per language prefix: pages reached and their statuses; and the failures."""
    failures = []
    table = {}
    for code, home in PREFIXES.items():
        # Responses leave their language active in this thread: keep it out of other tests.
        with translation.override(settings.LANGUAGE_CODE):
            results = crawl(client, home)
        statuses = Counter()
        for path, (status, lang, found_on) in results.items():
            statuses[status] += 1
            if status is None:
                continue
            if status == 404 or status >= 500:
                failures.append(f"{status} {path} (linked from {found_on})")
            elif status == 200 and lang is not None and lang != _language_of(path):
                failures.append(f'<html lang="{lang}"> on {path} (linked from {found_on})')
        table[code] = {"pages": len(results), **{str(k): v for k, v in statuses.items()}}
    table["failures"] = failures
    return table
