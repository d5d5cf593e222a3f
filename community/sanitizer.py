"""The one HTML policy for what members write in the Café.

Members type text with a little HTML (the toolbar inserts ``<strong>``, ``<a href>``,
lists, quotes, code); ``clean_post`` keeps only the allowlisted tags and attributes,
only http(s)/mailto links, marks every link ``rel="nofollow ugc noopener"`` and turns
bare URLs into links. Everything else is escaped or dropped, so the result is inert.
Known ``@handles`` become links to the member's profile: the URLs come from the server
(``mentions``), never from the text, and the allowlist stays the same.
"""

import re
from functools import partial

from bleach.html5lib_shim import Filter
from bleach.linkifier import LinkifyFilter
from bleach.sanitizer import Cleaner

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "a", "ul", "ol", "li", "blockquote", "code", "pre"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
BLOCK_TAG = re.compile(r"<\s*/?\s*(p|ul|ol|li|blockquote|pre)\b", re.IGNORECASE)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n+")
TAG = re.compile(r"<[^>]*>")
MENTION = re.compile(r"(?<![\w@/])@([a-z0-9][a-z0-9-]{1,79})", re.IGNORECASE)
MENTION_SKIP_TAGS = frozenset({"a", "code", "pre"})
SITE_PATH = re.compile(r"^/[\w/-]*$")  # a server-built profile path, nothing else


def _link_attributes(attrs, new=False):
    href = attrs.get((None, "href"))
    if not href:
        return None  # a link whose URL was removed as unsafe keeps only its text
    attrs[(None, "rel")] = LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


class MentionFilter(Filter):
    """Runs after sanitising and linkifying: ``@handle`` in plain text (not inside a link
    or code) becomes ``<a href="<profile>" rel="…">@handle</a>`` when the handle is in
    ``mentions`` (lower-case handle → site path)."""

    def __init__(self, source, mentions):
        super().__init__(source)
        self.mentions = {
            handle.lower(): url for handle, url in mentions.items() if SITE_PATH.match(url)
        }

    def __iter__(self):
        skipping = 0
        for token in super().__iter__():
            kind = token["type"]
            if kind in ("StartTag", "EndTag") and token["name"] in MENTION_SKIP_TAGS:
                skipping = max(skipping + (1 if kind == "StartTag" else -1), 0)
            elif kind == "Characters" and not skipping:
                yield from self.link(token["data"])
                continue
            yield token

    def link(self, text):
        start = 0
        for match in MENTION.finditer(text):
            url = self.mentions.get(match.group(1).lower())
            if url is None:
                continue
            if match.start() > start:
                yield {"type": "Characters", "data": text[start:match.start()]}
            yield {"type": "StartTag", "name": "a",
                   "data": {(None, "href"): url, (None, "rel"): LINK_REL}}
            yield {"type": "Characters", "data": match.group(0)}
            yield {"type": "EndTag", "name": "a"}
            start = match.end()
        if start < len(text):
            yield {"type": "Characters", "data": text[start:]}


def _make_cleaner(mentions=None):
    filters = [partial(LinkifyFilter, callbacks=[_link_attributes], skip_tags={"pre", "code"})]
    if mentions:
        filters.append(partial(MentionFilter, mentions=mentions))
    return Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=filters,
    )


_cleaner = _make_cleaner()


def paragraphs(text):
    """Plain text with blank lines becomes paragraphs; single newlines become <br>.
    Chunks that already carry block-level markup are left as they are."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    chunks = []
    for chunk in PARAGRAPH_BREAK.split(text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if BLOCK_TAG.search(chunk):
            chunks.append(chunk)
        else:
            chunks.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(chunks)


def clean_post(source, mentions=None):
    """Return safe HTML for a post typed as ``source``; ``mentions`` (lower-case handle →
    profile path, looked up by the caller) turns those @handles into links."""
    cleaner = _make_cleaner(mentions) if mentions else _cleaner
    return cleaner.clean(paragraphs(source))


def plain_text(html):
    """The visible text of cleaned HTML (for excerpts, e-mails, emptiness checks)."""
    from html import unescape

    return re.sub(r"\s+", " ", unescape(TAG.sub(" ", html))).strip()
