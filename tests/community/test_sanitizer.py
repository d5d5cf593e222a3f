"""The one bleach policy: what members write comes out inert, links are marked."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from community.sanitizer import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    LINK_REL,
    clean_post,
    plain_text,
)

CORPUS = Path(__file__).with_name("xss_payloads.txt")


def payloads():
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [line.replace("\\n", "\n") for line in lines if line and not line.startswith("#")]


class Inspector(HTMLParser):
    """Re-parses the output as a browser would and records every element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_inert(html):
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    for tag, attrs in inspector.elements:
        assert tag in ALLOWED_TAGS, f"tag <{tag}> survived"
        allowed = set(ALLOWED_ATTRIBUTES.get(tag, []))
        assert set(attrs) <= allowed, f"attributes {set(attrs) - allowed} survived on <{tag}>"
        if tag == "a":
            href = attrs.get("href") or ""
            scheme = urlparse(href.strip()).scheme.lower()
            # "" is a relative or protocol-relative link: plain navigation, no script.
            assert scheme in ALLOWED_PROTOCOLS | {""}, f"link scheme {scheme!r} survived"
            assert attrs.get("rel") == LINK_REL
    lowered = html.lower()
    # No markup a browser would run, whatever the context the text ends up in
    # ("javascript:" as visible text is harmless; as a tag or attribute it is not).
    for needle in ("<script", "<svg", "<math", "<iframe", "<style", "<img", "<object",
                   "<embed", "<base", "<meta", "<link", "<form", "style=", 'href="data:',
                   'href="javascript:', 'href="vbscript:'):
        assert needle not in lowered, f"{needle!r} survived in {html!r}"


def test_the_corpus_holds_at_least_a_hundred_payloads():
    assert len(payloads()) >= 100


@pytest.mark.parametrize("payload", payloads())
def test_every_known_xss_payload_comes_out_inert(payload):
    cleaned = clean_post(payload)
    assert_inert(cleaned)
    # Cleaning the output again stays inert (it is what an edit would do).
    assert_inert(clean_post(cleaned))


def test_formatting_the_toolbar_inserts_survives():
    source = (
        "<strong>negrita</strong> <em>cursiva</em> <b>b</b> <i>i</i>\n\n"
        "<ul><li>uno</li></ul><ol><li>dos</li></ol>"
        "<blockquote>cita</blockquote><pre><code>x = 1</code></pre>"
    )
    html = clean_post(source)
    for tag in ("strong", "em", "ul", "ol", "li", "blockquote", "pre", "code"):
        assert f"<{tag}>" in html


def test_links_are_marked_and_bare_urls_linkified():
    html = clean_post('Mira https://allas.org/guia y <a href="https://ok.example" '
                      'target="_blank" rel="opener">esto</a>')
    assert html.count(f'rel="{LINK_REL}"') == 2
    assert 'href="https://allas.org/guia"' in html
    assert "target" not in html and "rel=\"opener\"" not in html


def test_an_unsafe_link_keeps_only_its_text():
    assert clean_post('<a href="javascript:alert(1)">texto</a>') == "<p>texto</p>"


def test_text_is_escaped_not_interpreted():
    assert clean_post("a < b && c > d") == "<p>a &lt; b &amp;&amp; c &gt; d</p>"


def test_plain_text_paragraphs_and_line_breaks():
    assert clean_post("uno\ndos\n\ntres") == "<p>uno<br>\ndos</p>\n<p>tres</p>"


def test_code_blocks_are_not_linkified():
    assert "<a" not in clean_post("<pre>https://example.org</pre>")


def test_plain_text_of_cleaned_html():
    assert plain_text(clean_post("<strong>Hola</strong>\n\nmundo &amp; más")) == "Hola mundo & más"


MENTIONS = {"ana": "/cuentas/personas/7/"}


def test_known_mentions_become_profile_links():
    html = clean_post("Hola @Ana y @nadie, escribe a ana@ejemplo.org", mentions=MENTIONS)
    assert html == (f'<p>Hola <a href="/cuentas/personas/7/" rel="{LINK_REL}">@Ana</a> '
                    "y @nadie, escribe a ana@ejemplo.org</p>")
    assert_inert(html)


def test_mentions_are_not_linked_inside_links_or_code():
    html = clean_post('<a href="https://ok.example">@ana</a> <code>@ana</code> '
                      "<pre>@ana</pre> https://ok.example/@ana", mentions=MENTIONS)
    assert "/cuentas/personas/" not in html


def test_mentions_do_not_widen_the_policy():
    """The XSS corpus with every handle it might contain known: still inert, and a
    mention URL that is not a plain site path is never written."""
    mentions = {"ana": "/cuentas/personas/7/", "x": "javascript:alert(1)",
                "onerror": "/cuentas/personas/8/", "script": '/"><script>alert(1)</script>'}
    for payload in payloads():
        assert_inert(clean_post(f"@ana @onerror @script {payload} @ana", mentions=mentions))
    assert "javascript" not in clean_post("@x", mentions=mentions)
    assert "<script" not in clean_post("@script", mentions=mentions)
