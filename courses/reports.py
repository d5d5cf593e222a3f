"""Figures for the editors' course reports: enrolments, completion, progress, quiz
questions, and a small SVG chart drawn on the server."""

import csv
import io
from datetime import date

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Locale

from allas_site.core.exports import spreadsheet_safe
from courses.models import CoursePage, Enrollment, LessonPage, QuizAttempt


def course_rows():
    """One row per course (all its translations together), in the default locale."""
    figures = {
        row["course_key"]: row
        for row in Enrollment.objects.values("course_key").annotate(
            enrolled=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            average_progress=Avg("progress"),
        )
    }
    rows = []
    courses = CoursePage.objects.filter(locale=Locale.get_default()).order_by("title")
    for course in courses:
        data = figures.get(course.translation_key, {})
        enrolled = data.get("enrolled", 0)
        completed = data.get("completed", 0)
        rows.append({
            "course": course,
            "title": course.title,
            "enrolled": enrolled,
            "completed": completed,
            "completion_rate": round(100 * completed / enrolled) if enrolled else 0,
            "average_progress": round(data.get("average_progress") or 0),
        })
    return rows


def question_rows(course):
    """Per quiz question: attempts, share answered right, and the wrong answer chosen
    most often (the ones that mislead)."""
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    attempts = QuizAttempt.objects.filter(
        lesson_key__in=[lesson.translation_key for lesson in lessons]
    ).values_list("lesson_key", "answers", "results")
    by_lesson = {}
    for lesson_key, answers, results in attempts:
        by_lesson.setdefault(lesson_key, []).append((answers, results))
    rows = []
    for lesson in lessons:
        if not lesson.has_quiz:
            continue
        stored = by_lesson.get(lesson.translation_key, [])
        for qid, _kind, value, choices in lesson.quiz_questions():
            texts = {choice[0]: str(choice[1]) for choice in choices}
            correct_ids = {choice[0] for choice in choices if choice[2]}
            answered = right = 0
            wrong_choices = {}
            for answers, results in stored:
                if qid not in results:
                    continue
                answered += 1
                right += 1 if results[qid] else 0
                for answer_id in answers.get(qid, []):
                    if answer_id not in correct_ids:
                        wrong_choices[answer_id] = wrong_choices.get(answer_id, 0) + 1
            top_wrong = max(wrong_choices.items(), key=lambda item: item[1], default=None)
            rows.append({
                "lesson": lesson.title,
                "question": value["question"],
                "attempts": answered,
                "correct_rate": round(100 * right / answered) if answered else 0,
                "top_wrong_answer": texts.get(top_wrong[0], "") if top_wrong else "",
                "top_wrong_count": top_wrong[1] if top_wrong else 0,
            })
    return rows


def _month_starts(months):
    today = timezone.localdate()
    year, month = today.year, today.month
    starts = []
    for _index in range(months):
        starts.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(starts))


def timeline(course=None, months=12):
    """Enrolments and completions per month over the last ``months`` months."""
    queryset = Enrollment.objects.all()
    if course is not None:
        queryset = queryset.filter(course_key=course.translation_key)
    starts = _month_starts(months)
    counts = {start: [0, 0] for start in starts}
    enrolled = (
        queryset.filter(created_at__date__gte=starts[0])
        .annotate(month=TruncMonth("created_at")).values("month").annotate(n=Count("pk"))
    )
    completed = (
        queryset.filter(completed_at__date__gte=starts[0])
        .annotate(month=TruncMonth("completed_at")).values("month").annotate(n=Count("pk"))
    )
    for index, rows in ((0, enrolled), (1, completed)):
        for row in rows:
            month = row["month"]
            key = month.date() if hasattr(month, "date") else month
            key = key.replace(day=1)
            if key in counts:
                counts[key][index] += row["n"]
    return [(start, values[0], values[1]) for start, values in counts.items()]


def timeline_svg(points, width=640, height=220):
    """Grouped bars (enrolments, completions) per month, as inline SVG."""
    pad_left, pad_bottom, pad_top = 32, 28, 12
    plot_w, plot_h = width - pad_left - 8, height - pad_bottom - pad_top
    top = max([max(e, c) for _m, e, c in points] + [1])
    slot = plot_w / max(len(points), 1)
    bar = max(slot / 3, 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="chart-title" class="course-chart">',
        f'<title id="chart-title">{escape(_("Inscripciones y cursos completados por mes"))}'
        "</title>",
        f'<line x1="{pad_left}" y1="{pad_top + plot_h}" x2="{width - 8}" '
        f'y2="{pad_top + plot_h}" stroke="#48525e"/>',
        f'<text x="{pad_left - 6}" y="{pad_top + 10}" font-size="11" text-anchor="end" '
        f'fill="#48525e">{top}</text>',
    ]
    for index, (month, enrolled, completed) in enumerate(points):
        x = pad_left + index * slot + (slot - 2 * bar) / 2
        for offset, value, colour in ((0, enrolled, "#123c69"), (bar, completed, "#b23a12")):
            h = plot_h * value / top
            parts.append(
                f'<rect x="{x + offset:.1f}" y="{pad_top + plot_h - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{colour}"><title>{value}</title></rect>'
            )
        label = escape(formats.date_format(month, "M"))
        parts.append(
            f'<text x="{pad_left + index * slot + slot / 2:.1f}" y="{height - 10}" '
            f'font-size="11" text-anchor="middle" fill="#48525e">{label}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --- Export -----------------------------------------------------------------------------------

COURSE_COLUMNS = [
    ("title", gettext_lazy("Curso")),
    ("enrolled", gettext_lazy("Inscripciones")),
    ("completed", gettext_lazy("Completados")),
    ("completion_rate", gettext_lazy("Tasa de finalización (%)")),
    ("average_progress", gettext_lazy("Progreso medio (%)")),
]
QUESTION_COLUMNS = [
    ("lesson", gettext_lazy("Lección")),
    ("question", gettext_lazy("Pregunta")),
    ("attempts", gettext_lazy("Intentos")),
    ("correct_rate", gettext_lazy("Aciertos (%)")),
    ("top_wrong_answer", gettext_lazy("Respuesta errónea más elegida")),
    ("top_wrong_count", gettext_lazy("Veces elegida")),
]


def table(columns, rows):
    header = [str(label) for _key, label in columns]
    return header, [[spreadsheet_safe(row[key]) for key, _label in columns] for row in rows]


def to_csv(header, body):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(body)
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(header, body, title):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in body:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
