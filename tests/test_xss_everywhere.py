"""Every field that shows member-written text renders every known XSS payload inert.

Two corpora: the project's own (tests/community/xss_payloads.txt) and public lists
(tests/xss_public_payloads.txt, ~880 payloads). Each payload is written where members
write — profile fields, a debate title, a post, a report reason — and the pages that
show it are rendered for real: the profile, the debate, the category listing and its
feed, the home page and the moderators' report view. A payload is inert when the page
has exactly the elements and attributes it has with harmless text (plain-text fields),
or only what the one bleach policy allows (post bodies).
"""

import random
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from community import services
from community.models import Debate, Post, Report
from community.sanitizer import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean_post
from tests import factories
from tests.community.factories import CategoryFactory

pytestmark = pytest.mark.django_db

HERE = Path(__file__).parent
CORPORA = [HERE / "community" / "xss_payloads.txt", HERE / "xss_public_payloads.txt"]


def corpus():
    payloads = []
    for path in CORPORA:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                payloads.append(line.replace("\\n", "\n"))
    return list(dict.fromkeys(payloads))


PAYLOADS = corpus()
# Whole-page renders cost milliseconds each: every payload through the profile and the
# sanitizer, a fixed sample through the pages that need several renders per payload.
SAMPLE = random.Random(2026).sample(PAYLOADS, 120)
PROFILE_SAMPLE = random.Random(2027).sample(PAYLOADS, 300)


class Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = Counter()
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        self.found[(tag, tuple(sorted(name for name, _value in attrs)))] += 1
        for name, value in attrs:
            if name in {"href", "src", "action", "formaction", "xlink:href"}:
                scheme = (value or "").strip().lower().split(":", 1)[0]
                if scheme in {"javascript", "vbscript", "data"}:
                    self.found[("scheme", scheme)] += 1

    handle_startendtag = handle_starttag


def elements(html):
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser.found


def extra_elements(page, baseline, allowed=()):
    """Elements the payload added to the page, ignoring line-break markup."""
    added = elements(page) - elements(baseline)
    return {key: count for key, count in added.items() if key[0] not in {"br", "p", *allowed}}


def inline_scripts(html):
    return len(re.findall(r"<script(?![^>]*\bsrc=)", html, re.I))


def render(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_the_corpus_is_large():
    assert len(PAYLOADS) > 1000


def test_every_payload_leaves_the_sanitizer_inert():
    for payload in PAYLOADS:
        html = clean_post(payload)
        for (tag, attrs), _count in elements(html).items():
            if tag == "scheme":
                raise AssertionError(f"{attrs!r} link survived {payload!r}")
            assert tag in ALLOWED_TAGS, f"<{tag}> survived {payload!r}"
            assert set(attrs) <= set(ALLOWED_ATTRIBUTES.get(tag, [])), payload
            if tag == "a":
                assert "rel" in attrs, payload


def test_profile_fields(client):
    person = factories.expert(
        display_name="Mariana Ortega", organisation="Alcaldía", position="Directora",
        city="Medellín", expertise="cooperación, redes", bio="Trabajo en redes.",
    )
    url = reverse("accounts:person", args=[person.pk])
    baseline = render(client, url)
    failures = []
    for payload in PROFILE_SAMPLE:
        for field, size in (("display_name", 80), ("organisation", 160), ("position", 160),
                            ("city", 120), ("expertise", 300)):
            setattr(person, field, payload[:size])
        person.bio = payload[:600]
        person.save()
        # Expertise is listed one item per comma: more <li> is structure, not markup.
        added = extra_elements(render(client, url), baseline, allowed=("li",))
        if added:
            failures.append((payload, added))
    assert failures == []


def test_debate_titles_posts_and_feeds():
    category = CategoryFactory(slug="xss", read_access="everyone", approve_first_posts=False)
    author = factories.expert(display_name="Autora")
    debate = services.do_start_debate(author, category, title="Título inocente", body="Hola")
    client = Client()
    pages = [debate.get_absolute_url(), category.get_absolute_url(),
             reverse("community:category_feed", args=[category.slug]), "/cafe/"]
    baselines = {url: render(client, url) for url in pages}
    failures = []
    for payload in SAMPLE:
        Debate.objects.filter(pk=debate.pk).update(title=payload[:200])
        Post.objects.filter(debate=debate).update(body_html=clean_post(payload))
        for url in pages:
            page = render(client, url)
            # The post body may keep what the bleach policy allows, nothing else.
            added = extra_elements(page, baselines[url], allowed=ALLOWED_TAGS)
            if added:
                failures.append((url, payload, added))
            if inline_scripts(page) > inline_scripts(baselines[url]):
                failures.append((url, payload, "inline script"))
    assert failures == []


def test_report_reasons_in_the_moderation_queue():
    category = CategoryFactory(approve_first_posts=False)
    debate = services.do_start_debate(factories.expert(), category, title="T", body="Hola")
    reporter = factories.learner()
    report = services.do_report(reporter, debate.posts.first(), "Motivo inocente")
    client = Client()
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    pages = [reverse("cafe_reports:moderate", args=[report.pk, "hide"]),
             reverse("cafe_reports:index")]
    baselines = {url: render(client, url) for url in pages}
    failures = []
    for payload in SAMPLE:
        Report.objects.filter(pk=report.pk).update(reason=payload[:1000])
        for url in pages:
            added = extra_elements(render(client, url), baselines[url])
            if added:
                failures.append((url, payload, added))
    assert failures == []
