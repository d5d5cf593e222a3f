"""Hostile input on every URL of the project answers 4xx (or a normal page), never 500.

The URLs are not listed by hand: every pattern of the URLconf is walked (the Wagtail
admin, the API and allauth included), and every live Wagtail page with its
routable sub-pages is added, so a new URL is covered without anyone remembering it.
For each one, as a visitor, a learner and a moderator:

- path parameters get huge, negative-looking, zero-padded and non-ASCII values, NUL
  bytes, 10 kB strings, quotes, full-text and SQL syntax, invalid UTF-8;
- the query string gets the same values for every parameter the view reads (recorded
  while serving the page) and for the usual names (page, q, search, offset...), plus
  repeated parameters;
- every POST form the page shows is sent back with those values in all its fields.

The members' walks skip the query and form passes on a URL that offers them exactly
what it offers a visitor (same status, parameters read and forms), and a page in
English, French or Portuguese skips them when it offers what its Spanish page offered.
"""

import html.parser
import io
import re
from urllib.parse import quote, urlsplit

import pytest
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

HOSTILE = [
    "99999999999999999999999",  # beyond 64 bits
    "-1",
    "²",  # str.isdigit() says yes, int() says no
    "٣",  # Arabic-Indic three: int() accepts it, the database does not
    "1\x00",
    "x" * 10_000,
    "1' OR '1'='1' --\"><x>",
    'a* OR (b NEAR "c',  # full-text syntax
]
RAW_QUERY_VALUES = ["%FF%FE%C0%AF", "%ED%B3%BF%E2%82"]  # invalid UTF-8, a lone surrogate
COMMON_KEYS = [
    "page", "pagina", "q", "search", "offset", "limit", "order", "orden", "sort", "tema",
    "tipo", "idioma", "anio", "year", "topic", "type", "language", "next", "citar",
    "pagina_id", "quote_of", "last_id", "fields", "child_of", "descendant_of", "format",
    "category", "estado", "p",
]
PATH_VALUES = {
    "int": ["0", "00001", "99999999999999999999999", "9223372036854775808"],
    "other": ["²", "%00", "x" * 300, quote("'\"<>"), "..%2F..", "%FF", "a-b_c"],
}
# Third-party areas (admin, API machinery): fewer values, anonymous only reaches login.
THIRD_PARTY = ("admin/", "documents/", "_util/", "i18n/")

PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def route_strings(patterns=None, prefix=""):
    """Every URL pattern of the project as (route text, is_regex)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from route_strings(pattern.url_patterns, text)
        elif isinstance(pattern, URLPattern):
            yield text


def concrete(route, value_for):
    """``route`` with each parameter replaced; regex anchors and escapes removed."""
    def replace(match):
        if match.group("rname"):
            return value_for("other")
        return value_for("int" if match.group("conv") == "int" else "other")

    text = PARAM.sub(replace, route)
    text = text.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + text.lstrip("/")


def pattern_urls(*, third_party=True):
    """(URLs with ordinary parameter values, URLs with hostile path values)."""
    plain, hostile = set(), set()
    for route in route_strings():
        if "((?:" in route:  # Wagtail's catch-all page route: real pages are added below
            continue
        if route.startswith(THIRD_PARTY) and not third_party:
            continue
        if not PARAM.search(route):
            plain.add(concrete(route, lambda kind: ""))
            continue
        plain.add(concrete(route, lambda kind: "1"))
        values = PATH_VALUES["int"] + PATH_VALUES["other"]
        for value in values[:: 3 if route.startswith(THIRD_PARTY) else 1]:
            hostile.add(concrete(route, lambda kind, value=value: value))
    return sorted(plain), sorted(hostile)


def page_urls(families=None):
    """(live pages and their routable sub-pages, the same with hostile values).

    ``families``, if given, maps each plain URL to (translation key, sub-page route):
    the same page, or sub-page, in each of the four languages."""
    from wagtail.models import Page

    plain, hostile = set(), set()
    for page in Page.objects.live().filter(depth__gt=1).specific():
        url = page.get_url()
        if not url:
            continue
        plain.add(url)
        if families is not None:
            families[url] = (page.translation_key, "")
        hostile.add(url + "no-existe/")
        for route in getattr(page, "get_subpage_urls", lambda: [])():
            pattern = str(route.pattern)
            sub_url = url + concrete(pattern, lambda kind: "1").lstrip("/")
            plain.add(sub_url)
            if families is not None:
                families[sub_url] = (page.translation_key, pattern)
            for value in ["99999999999999999999999", "²", "x" * 300]:
                hostile.add(url + concrete(pattern, lambda kind, v=value: v).lstrip("/"))
    return sorted(plain), sorted(hostile)


class RecordingQueryDict(QueryDict):
    """A QueryDict that remembers which keys the view asked for."""

    read = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


class RecordQueryKeys:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = RecordingQueryDict(request.META.get("QUERY_STRING", ""))
        return self.get_response(request)


class FormFinder(html.parser.HTMLParser):
    """POST forms of a page: their action and field names."""

    def __init__(self):
        super().__init__()
        self.forms, self.current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = {"action": attrs.get("action") or "", "fields": set()}
            self.forms.append(self.current)
        elif (self.current is not None and tag in {"input", "textarea", "select", "button"}
              and attrs.get("name") and attrs["name"] != "csrfmiddlewaretoken"):
            self.current["fields"].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


class Fuzzer:
    def __init__(self, client):
        self.client = client
        self.failures = []
        self.requests = 0
        self.skipped = 0
        self.errors = []
        got_request_exception.connect(self.remember_error)

    def remember_error(self, sender, request=None, **kwargs):
        import sys

        exc = sys.exc_info()[1]
        if exc is not None:
            self.errors.append(f"{type(exc).__name__}: {str(exc)[:160]}")

    def check(self, method, url, **kwargs):
        self.requests += 1
        self.errors.clear()
        try:
            response = getattr(self.client, method)(url, **kwargs)
        except Exception as exc:  # noqa: BLE001 - reported with the request below
            self.failures.append(f"{method.upper()} {url[:140]} raised {exc!r:.200}")
            return None
        if response.status_code >= 500:
            reason = "; ".join(self.errors) or response.content[:160]
            data = kwargs.get("data")
            shown = f" data={str(data)[:120]}" if data else ""
            self.failures.append(
                f"{method.upper()} {url[:140]}{shown} -> {response.status_code} {reason}"
            )
        return response

    def close(self):
        got_request_exception.disconnect(self.remember_error)


def signature(response, read):
    """What a URL offers to be fuzzed: its status, the query keys its view read and its
    POST forms (the header's log-out form aside, it is never sent)."""
    forms = ()
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        finder = FormFinder()
        finder.feed(response.content.decode(errors="replace"))
        forms = tuple(
            (form["action"], tuple(sorted(form["fields"])))
            for form in finder.forms if "logout" not in form["action"]
        )
    return response.status_code, tuple(read), forms


def fuzz_everything(client, settings, *, third_party=True, values=HOSTILE, seen=None,
                    skip_same_as=None):
    """Walk every URL with hostile input. ``seen`` collects each URL's signature;
    a URL whose signature equals the one in ``skip_same_as`` (the visitor's walk) gets
    its plain request only: a member who is offered the same status, parameters and
    forms as a visitor goes through the same code with them."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_fuzz_urls.RecordQueryKeys"]
    settings.PAGE_CACHE_SECONDS = 0
    fuzzer = Fuzzer(client)
    families, fuzzed = {}, set()
    try:
        plain, hostile_paths = pattern_urls(third_party=third_party)
        pages, hostile_pages = page_urls(families)
        for url in hostile_paths + hostile_pages:
            fuzzer.check("get", url)
        for url in plain + pages:
            own = not url.lstrip("/").startswith(THIRD_PARTY)
            RecordingQueryDict.read = set()
            response = fuzzer.check("get", url)
            if not own or response is None:
                continue
            read = sorted(RecordingQueryDict.read)
            shape = signature(response, read)
            if seen is not None:
                seen[url] = shape
            if skip_same_as is not None and skip_same_as.get(url) == shape:
                fuzzer.skipped += 1
                continue
            # A page in another language runs the same code with the same parameters and
            # forms: its hostile passes are the Spanish page's (its plain and hostile-path
            # requests above still run, and the crawl reads every language).
            if url in families:
                if (families[url], shape) in fuzzed:
                    fuzzer.skipped += 1
                    continue
                fuzzed.add((families[url], shape))
            keys = sorted(set(read) | set(COMMON_KEYS))
            path = urlsplit(url).path
            # Each parameter the view reads, alone (all at once, an early 404 on one
            # could hide a crash on another).
            for key in read:
                for value in HOSTILE[:5]:
                    fuzzer.check("get", path, data={key: value})
            for value in values:
                fuzzer.check("get", path, data={key: value for key in keys})
            for raw in RAW_QUERY_VALUES:
                fuzzer.check("get", path + "?" + "&".join(f"{key}={raw}" for key in keys))
            # The same parameter twice, and an empty one.
            fuzzer.check("get", path + "?" + "&".join(f"{k}=1&{k}=x&{k}=" for k in keys))
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                finder = FormFinder()
                finder.feed(response.content.decode(errors="replace"))
                for form in finder.forms:
                    action = form["action"] or path
                    if action.startswith(("http:", "https:", "//")) or "logout" in action:
                        continue  # leaving the site or the session ends the walk
                    for value in HOSTILE[::2]:
                        data = {field: value for field in form["fields"]}
                        fuzzer.check("post", action, data=data)
                    # Wrong types: lists where one value is expected.
                    fuzzer.check("post", action,
                                 data={field: ["1", "x", ""] for field in form["fields"]})
    finally:
        fuzzer.close()
    return fuzzer


@pytest.fixture
def demo(home_page):
    call_command("load_demo", stdout=io.StringIO())


def test_no_url_answers_500_to_hostile_input(demo, settings):
    """As a visitor, then as a learner and a moderator. One demo for the three walks
    (it is the slow part to build); the members' walks fuzz the URLs where they are
    offered something a visitor is not."""
    from allas_site.accounts.models import User

    accounts = {"learner": "aprendiz@allas.local", "moderator": "moderador@allas.local"}
    visitor_shapes = {}
    failures, counts = [], {}
    for role in ["visitor", "learner", "moderator"]:
        client = Client(raise_request_exception=False)
        if role in accounts:
            client.force_login(User.objects.get(email=accounts[role]))
        visitor = role == "visitor"
        # The admin and the API answer members as they answer visitors: walked once,
        # and the all-parameters-at-once pass uses every other value for members (each
        # parameter a view reads still gets its own pass).
        fuzzer = fuzz_everything(
            client, settings, third_party=visitor, values=HOSTILE if visitor else HOSTILE[::2],
            seen=visitor_shapes if visitor else None,
            skip_same_as=None if visitor else visitor_shapes,
        )
        counts[role] = (fuzzer.requests, fuzzer.skipped)
        failures += [f"[{role}] {failure}" for failure in fuzzer.failures]
    print("requests, URLs skipped as visitor-identical:", counts)
    assert counts["visitor"][0] > 1000  # the walk really covered the project
    # Members are offered their own forms and pages on much of the project.
    assert all(counts[role][0] > 300 for role in accounts), counts
    assert failures == [], f"{len(failures)} failures:\n" + "\n".join(failures[:80])
