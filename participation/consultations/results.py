"""Counts of a consultation, by sector, counted by the database in four queries
whatever the number of answers, and drawn as SVG bar charts on the server.

Privacy: a sector with fewer than ``MIN_GROUP`` responses is never shown on its own;
such sectors are pooled into "otros sectores", which itself appears only when it
reaches ``MIN_GROUP`` (otherwise those answers count in the total only). Open-text
answers appear only once approved, without names.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from participation.consultations import blocks as kinds
from participation.consultations.models import Answer, Response, Sector, TextStatus

MIN_GROUP = 5
OTHERS = "others"
TOTAL = "total"
TEXTS_PER_QUESTION = 20
TEXTS_FETCHED = 400
# Bars in colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart by the
# legend, the order and the table as well, never by colour alone.
PALETTE = ["#1d4e89", "#b3541e", "#2d6a4f", "#6a3d9a", "#8a6d00", "#a4133c", "#00677f",
           "#5c5c5c"]


@dataclass
class Group:
    key: str
    label: str
    responses: int
    colour: str = PALETTE[0]


@dataclass
class Row:
    option_id: str
    label: str
    cells: list  # one (count, share 0..1 or average) per group, in the groups' order


@dataclass
class QuestionResult:
    question: object
    answered: list  # respondents per group
    rows: list = field(default_factory=list)
    texts: list = field(default_factory=list)
    pending_texts: int = 0
    averages: list = field(default_factory=list)  # scale: average per group

    @property
    def kind(self):
        return self.question.kind

    @property
    def is_ranking(self):
        return self.question.kind == kinds.RANKING


@dataclass
class Results:
    total: int
    groups: list
    questions: list
    suppressed: int = 0  # responses in sectors too small to show, even pooled


def _groups(by_sector):
    total = sum(by_sector.values())
    groups = [Group(TOTAL, _("Total"), total)]
    small = 0
    small_keys = []
    for sector in Sector:
        count = by_sector.get(sector.value, 0)
        if count >= MIN_GROUP:
            groups.append(Group(sector.value, str(sector.label), count))
        elif count:
            small += count
            small_keys.append(sector.value)
    suppressed = 0
    if small >= MIN_GROUP:
        groups.append(Group(OTHERS, _("Otros sectores"), small))
    else:
        suppressed = small
    for number, group in enumerate(groups):
        group.colour = PALETTE[number % len(PALETTE)]
    return groups, set(small_keys), suppressed


def results_for(consultation, questions):
    """The consultation's counts, with ``questions`` (the survey in the reader's
    language) for the labels. Four queries, whatever the number of answers."""
    by_sector = dict(
        Response.objects.submitted().filter(consultation=consultation)
        .values_list("sector").annotate(n=Count("id")).order_by()
    )
    groups, small, suppressed = _groups(by_sector)
    index = {group.key: number for number, group in enumerate(groups)}

    def targets(sector):
        """Columns an answer of ``sector`` counts in: the total, and its own or "others"."""
        columns = [0]
        key = OTHERS if sector in small else sector
        if key in index:
            columns.append(index[key])
        return columns

    answered = {}
    for question_id, sector, n in (
        Answer.objects.filter(consultation=consultation)
        .values_list("question_id", "sector").annotate(n=Count("response_id", distinct=True))
        .order_by()
    ):
        cells = answered.setdefault(question_id, [0] * len(groups))
        for column in targets(sector):
            cells[column] += n

    counts = {}
    for question_id, option, sector, n, position_sum in (
        Answer.objects.filter(consultation=consultation).exclude(option="")
        .values_list("question_id", "option", "sector")
        .annotate(n=Count("id"), position_sum=Sum("position")).order_by()
    ):
        cells = counts.setdefault((question_id, option), [[0, 0] for _group in groups])
        for column in targets(sector):
            cells[column][0] += n
            cells[column][1] += position_sum or 0

    texts, pending = {}, {}
    for question_id, status, text_html in (
        Answer.objects.filter(consultation=consultation).exclude(text_status="")
        .exclude(text_status=TextStatus.REJECTED)
        .values_list("question_id", "text_status", "text_html").order_by("-id")[:TEXTS_FETCHED]
    ):
        if status == TextStatus.APPROVED:
            shown = texts.setdefault(question_id, [])
            if len(shown) < TEXTS_PER_QUESTION:
                shown.append(mark_safe(text_html))  # noqa: S308 - cleaned by the Café policy
        else:
            pending[question_id] = pending.get(question_id, 0) + 1

    out = []
    for question in questions:
        respondents = answered.get(question.id, [0] * len(groups))
        result = QuestionResult(question=question, answered=respondents)
        if question.is_choice or question.is_scale:
            options = question.options if question.is_choice else tuple(
                (str(value), str(value)) for value in kinds.SCALE_VALUES)
            for option_id, label in options:
                cells = counts.get((question.id, option_id), [[0, 0] for _group in groups])
                row = []
                for column, (n, position_sum) in enumerate(cells):
                    if question.kind == kinds.RANKING:
                        row.append((n, position_sum / n if n else None))
                    else:
                        base = respondents[column]
                        row.append((n, n / base if base else 0.0))
                result.rows.append(Row(option_id, label, row))
            if question.is_scale:
                for column in range(len(groups)):
                    n = sum(r.cells[column][0] for r in result.rows)
                    total = sum(int(r.option_id) * r.cells[column][0] for r in result.rows)
                    result.averages.append(total / n if n else None)
            if question.kind == kinds.RANKING:
                # Most important first: by the total's average position.
                result.rows.sort(key=lambda r: (r.cells[0][1] is None, r.cells[0][1] or 0))
        else:
            result.texts = texts.get(question.id, [])
            result.pending_texts = pending.get(question.id, 0)
        out.append(result)
    return Results(total=groups[0].responses, groups=groups, questions=out,
                   suppressed=suppressed)


# --- Charts --------------------------------------------------------------------------------

BAR_H = 14
GAP = 4
LABEL_W = 0  # labels sit above their bars: long options never squeeze the chart
WIDTH = 640
VALUE_W = 70


def _bar_value(result, cell):
    n, value = cell
    if result.is_ranking:
        return (n and value is not None), value
    return True, value


def chart_svg(result, groups, chart_id):
    """An accessible horizontal bar chart of one question: one bar per group for each
    option. ``<title>`` and ``<desc>`` name it; the table beside it has the numbers."""
    if not result.rows:
        return ""
    options = len(result.rows)
    per_option = 18 + len(groups) * (BAR_H + GAP) + 8
    height = options * per_option + 10
    max_rank = len(result.rows)
    parts = []
    y = 4
    for row in result.rows:
        parts.append(format_html('<text x="0" y="{}" class="chart__label">{}</text>', y + 12,
                                 row.label))
        y += 18
        for group, cell in zip(groups, row.cells, strict=True):
            n, value = cell
            if result.is_ranking:
                # A shorter average position is better: bar = (options + 1 − avg) / options.
                share = (max_rank + 1 - value) / max_rank if n and value else 0.0
                shown = (_("posición media %(value).1f") % {"value": value}) if n and value \
                    else "–"
            else:
                share = value or 0.0
                shown = f"{round(share * 100)} %"
            width = round((WIDTH - VALUE_W) * max(0.0, min(share, 1.0)), 1)
            parts.append(format_html(
                '<rect x="0" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
                '<text x="{}" y="{}" class="chart__value">{}</text>',
                y, width, BAR_H, group.colour, group.label, shown,
                width + 4, y + BAR_H - 3, shown,
            ))
            y += BAR_H + GAP
        y += 8
    title_id, desc_id = f"{chart_id}-t", f"{chart_id}-d"
    description = _(
        "Barras por opción: una por grupo (%(groups)s). Los números están en la tabla."
    ) % {"groups": ", ".join(group.label for group in groups)}
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="{} {}" viewBox="0 0 {} {}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}</svg>',
        title_id, desc_id, WIDTH, height, title_id, result.question.label, desc_id,
        description, mark_safe("".join(parts)),  # noqa: S308 - built with format_html
    )


def legend_html(groups):
    return format_html(
        '<ul class="chart-legend">{}</ul>',
        format_html_join("", '<li><svg class="chart-legend__swatch" viewBox="0 0 10 10" '
                         'aria-hidden="true"><rect width="10" height="10" fill="{}"/></svg>'
                         '{} ({})</li>',
                         ((g.colour, g.label, g.responses) for g in groups)),
    )


def relatoria_html(consultation, results, source_url):
    """The results as text for a relatoría draft (the collection's HTML allowlist)."""
    parts = [format_html(
        "<p>{}</p>",
        _("Resultados de la consulta «%(title)s»: %(count)s respuestas.") % {
            "title": consultation.title, "count": results.total},
    )]
    for result in results.questions:
        parts.append(format_html("<h3>{}</h3>", result.question.label))
        if result.rows:
            items = []
            for row in result.rows:
                n, value = row.cells[0]
                if result.is_ranking:
                    shown = (_("posición media %(value).1f") % {"value": value}) if value else "–"
                else:
                    shown = f"{n} ({round((value or 0) * 100)} %)"
                by_group = "; ".join(
                    f"{group.label}: {cell[0]}" for group, cell in
                    zip(results.groups[1:], row.cells[1:], strict=True)
                )
                items.append(format_html("<li>{}: {}{}</li>", row.label, shown,
                                         f" — {by_group}" if by_group else ""))
            parts.append(format_html("<ul>{}</ul>", mark_safe("".join(items))))  # noqa: S308
        elif result.texts:
            parts.append(format_html("<ul>{}</ul>", format_html_join(
                "", "<li>{}</li>", ((text,) for text in result.texts[:5]))))
    if source_url:
        parts.append(format_html('<p><a href="{}">{}</a></p>', source_url,
                                 _("La consulta y sus resultados completos")))
    return "".join(str(part) for part in parts)
