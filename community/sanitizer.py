"""The one HTML policy for what members write in the Café.

Members type text with a little HTML (the toolbar inserts ``<strong>``, ``<a href>``,
lists, quotes, code); ``clean_post`` keeps only the allowlisted tags and attributes,
only http(s)/mailto links, marks every link ``rel="nofollow ugc noopener"`` and turns
bare URLs into links. Everything else is escaped or dropped, so the result is inert.
"""

import re
from functools import partial

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


def _link_attributes(attrs, new=False):
    href = attrs.get((None, "href"))
    if not href:
        return None  # a link whose URL was removed as unsafe keeps only its text
    attrs[(None, "rel")] = LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


_cleaner = Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_link_attributes], skip_tags={"pre", "code"})],
)


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


def clean_post(source):
    """Return safe HTML for a post typed as ``source``."""
    return _cleaner.clean(paragraphs(source))


def plain_text(html):
    """The visible text of cleaned HTML (for excerpts, e-mails, emptiness checks)."""
    from html import unescape

    return re.sub(r"\s+", " ", unescape(TAG.sub(" ", html))).strip()
