"""Cells for CSV and XLSX exports that a spreadsheet will never run as formulas.

Spreadsheets start a formula at = + - @ and also after leading spaces, tabs, line
breaks or other control characters (" =HYPERLINK(...)", "\\t=1+1"), and some read a
cell starting with a tab or carriage return as a new field. Such a cell is exported
with a leading apostrophe, which spreadsheets show as text and do not display.
"""

import unicodedata

FORMULA_STARTS = frozenset("=+-@")
# Full-width look-alikes that some spreadsheets normalise to the ASCII signs.
FORMULA_STARTS |= frozenset("＝＋－＠")


def _first_significant(text):
    for char in text:
        if char.isspace() or unicodedata.category(char) in {"Cc", "Cf", "Zs"}:
            continue
        return char
    return ""


def spreadsheet_safe(value):
    if not isinstance(value, str) or not value:
        return value
    if value[0] in "\t\r\n" or _first_significant(value) in FORMULA_STARTS:
        return "'" + value
    return value
