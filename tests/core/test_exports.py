"""Export cells never become spreadsheet formulas, however the formula is disguised."""

import pytest

from allas_site.core.exports import spreadsheet_safe
from courses import reports


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        "+1",
        "-1+cmd",
        "@SUM(A1)",
        " =HYPERLINK(\"http://evil.example\")",
        "\t=1+1",
        "\r=1+1",
        "\n@x",
        "\x00=1",
        "\u00a0=1",  # no-break space
        "\u200b=1",  # zero-width space
        "＝1+1",  # full-width equals
    ],
)
def test_formulas_are_neutralised(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Ana O’Brien", "Cooperación = futuro", "", 42, None, 3.5])
def test_ordinary_values_are_untouched(value):
    assert spreadsheet_safe(value) == value


def test_course_reports_use_it():
    _header, body = reports.table([("title", "Título")], [{"title": " =HYPERLINK(\"x\")"}])
    assert body[0][0].startswith("' =")
