"""The Wagtail admin's own inline initialisers, and only those, get the page's CSP nonce.

Wagtail 8 still writes a few one-line ``<script>`` initialisers next to its widgets and
panels (date pickers, choosers, inline panels). Rather than allowing every inline
script on admin pages, each one is checked against the exact forms those widgets write:
a call with a literal element id and data that parses as JSON (or a JSON string for
``JSON.parse``). Anything else inline — for instance a script smuggled into content —
stays without a nonce and the browser refuses to run it.
"""

import json
import re

_ID = r'"[A-Za-z0-9_\-]+"'
_JS_STRING = r'"(?:[^"\\<>]|\\u[0-9A-Fa-f]{4}|\\[\\"/bfnrt])*"'
_CALLS = [
    # initDateChooser("id_x", {...});  and the time / date-time variants
    re.compile(rf"init(?:Date|Time|DateTime)Chooser\({_ID}, (?P<json>\{{.*\}})\);", re.S),
    # new PageChooser("id_x", {...});  — every chooser widget, options optional
    re.compile(rf"new [A-Z][A-Za-z]*Chooser\({_ID}(?:, (?P<json>\{{.*\}}))?\);", re.S),
    re.compile(rf"create[A-Z][A-Za-z]*Chooser\({_ID}\);"),
    # (function() { var panel = new InlinePanel(JSON.parse("...")); })();
    re.compile(
        rf"\(function\(\) \{{\s*var panel = new (?:InlinePanel|MultipleChooserPanel)"
        rf"\(JSON\.parse\({_JS_STRING}\)\);\s*\}}\)\(\);",
        re.S,
    ),
]
_INLINE_SCRIPT = re.compile(r"<script>(?P<body>.*?)</script>", re.S)


def is_wagtail_initialiser(body):
    body = body.strip()
    for pattern in _CALLS:
        match = pattern.fullmatch(body)
        if match is None:
            continue
        data = match.groupdict().get("json")
        if data is None:
            return True
        try:
            json.loads(data)  # data, not code: no call or expression can hide in it
        except ValueError:
            return False
        return "<" not in data
    return False


def add_nonces(html, nonce):
    """``html`` with ``nonce`` on each bare ``<script>`` that is a Wagtail initialiser."""

    def replace(match):
        if is_wagtail_initialiser(match.group("body")):
            return f'<script nonce="{nonce}">{match.group("body")}</script>'
        return match.group(0)

    return _INLINE_SCRIPT.sub(replace, html)
