"""Text analysis shared by indexing, querying and highlighting.

PostgreSQL stems and folds accents itself (``allas_<lang>`` text-search configurations,
see migration 0002); SQLite's FTS5 only knows an English stemmer, so for SQLite the
same Snowball algorithms run here, on the way in (``index_text``) and on the way out
(``query_terms``). Highlighting uses them on both backends, so what is marked is what
matched.
"""

import functools
import re
import unicodedata

import snowballstemmer
from django.conf import settings
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import mark_safe

SNOWBALL = {"es": "spanish", "en": "english", "fr": "french", "pt": "portuguese"}
WORD = re.compile(r"\w+", re.UNICODE)
# A query is at most this many words: longer input is cut, never refused.
MAX_TERMS = 12
MAX_TERM_LENGTH = 40


def language_of(code):
    code = (code or settings.LANGUAGE_CODE).split("-")[0].lower()
    return code if code in SNOWBALL else settings.LANGUAGE_CODE


@functools.lru_cache(maxsize=50_000)
def fold(text):
    """Lower case without accents: ``Internacionalización`` → ``internacionalizacion``.
    Called for words (every word a snippet shows): kept like ``stem``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@functools.cache
def _stemmer(language):
    return snowballstemmer.stemmer(SNOWBALL[language_of(language)])


@functools.lru_cache(maxsize=50_000)
def stem(word, language):
    # Folded first, as PostgreSQL's unaccent runs before its stemmer: "cooperacion"
    # and "cooperación" must meet.
    return _stemmer(language).stemWord(fold(word))


def variants(word, languages):
    """The stems a query word looks for: its stem in each language, and that stem's
    own stem, because Snowball cuts singular and plural differently (``ciudades`` →
    ``ciudad``, ``ciudad`` → ``ciud``) and ``ciudades`` must find ``ciudad``."""
    found = set()
    for language in languages:
        once = stem(word, language)
        found.update((once, stem(once, language)))
    return sorted(found)


def words(text):
    return WORD.findall(text or "")


def python_analysis():
    """True where the database cannot stem Spanish itself (SQLite's FTS5)."""
    return connection.vendor == "sqlite"


def index_text(text, language):
    """What goes into the index for ``text``: as is for PostgreSQL, stems for SQLite."""
    if not python_analysis():
        return text or ""
    return " ".join(stem(word, language) for word in words(text))


def autocomplete_text(text):
    return " ".join(fold(word) for word in words(text))


# The commonest words of the four languages: not required in a match, no suggestion.
STOPWORDS = frozenset({
    "a", "al", "algo", "and", "are", "as", "at", "au", "aux", "by", "ce", "ces", "con",
    "como", "da", "das", "de", "del", "des", "do", "dos", "du", "e", "el", "em", "en",
    "entre", "es", "et", "for", "from", "i", "il", "in", "is", "la", "las", "le", "les",
    "lo", "los", "na", "nas", "no", "nos", "o", "of", "on", "or", "os", "ou", "para", "pas",
    "per", "por", "pour", "que", "qui", "se", "sin", "so", "sobre", "son", "su", "sus",
    "sur", "the", "to", "um", "uma", "un", "una", "uno", "unos", "y",
})


def query_words(query_string):
    """The words of what someone typed, with every operator and symbol dropped:
    nothing a person types reaches a database's query syntax."""
    found = [word[:MAX_TERM_LENGTH] for word in words(query_string) if word.strip("_")]
    return [word.strip("_") for word in found if word.strip("_")][:MAX_TERMS]


def highlight(text, query_words_, language, limit=None):
    """``text`` escaped, with the words that match the query wrapped in ``<mark>``.

    A word matches when its stem (in the text's language) or its folded form is one
    of the query's; the query itself never reaches the output except through the
    text's own, escaped, words.
    """
    text = text or ""
    if limit:
        text = excerpt(text, query_words_, language, limit)
    wanted_stems = {v for word in query_words_ for v in variants(word, [language])}
    wanted_prefix = {fold(word) for word in query_words_}
    out, last = [], 0
    for match in WORD.finditer(text):
        word = match.group()
        if stem(word, language) in wanted_stems or fold(word) in wanted_prefix:
            out.append(escape(text[last:match.start()]))
            out.append(f"<mark>{escape(word)}</mark>")
            last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def excerpt(text, query_words_, language, limit):
    """About ``limit`` characters of ``text`` around its first matching word."""
    if len(text) <= limit:
        return text
    wanted = {v for word in query_words_ for v in variants(word, [language])}
    start = 0
    for match in WORD.finditer(text):
        if stem(match.group(), language) in wanted:
            start = max(0, match.start() - limit // 4)
            break
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    piece = text[start:start + limit]
    if start + limit < len(text):
        cut = piece.rfind(" ")
        piece = (piece[:cut] if cut > limit // 2 else piece) + "…"
    return ("…" if start else "") + piece
