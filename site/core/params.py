"""One way to read ids and numbers from URLs, query strings and socket frames.

``str.isdigit()`` accepts "²" and "٣", ``int()`` accepts " 7", "+7" and "٣", and a
database column takes at most 64 bits: each of those once reached a query and answered
500. Here a number is plain ASCII digits within the column's range, or it is refused.
"""

import re

from django.http import Http404

MAX_ID = 2**63 - 1  # PostgreSQL bigint, SQLite INTEGER
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_count(value, *, maximum=MAX_ID):
    """``value`` (str or int) as an int in 0..maximum, or ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 0 <= number <= maximum else None


def parse_id(value):
    """A row id: a count of at least 1."""
    number = parse_count(value)
    return number if number else None


def id_or_404(value):
    number = parse_id(value)
    if number is None:
        raise Http404("No such id")
    return number


class IdConverter:
    """``<id:pk>`` in URL patterns: 1 to 19 ASCII digits within a bigint, else 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = parse_id(value)
        if number is None:
            raise ValueError("not an id")  # the resolver tries the next pattern: 404
        return number

    def to_url(self, value):
        return str(int(value))
