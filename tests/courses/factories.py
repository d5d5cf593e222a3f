"""Build catalogues, courses and lessons in the page tree with just what a test needs."""

import itertools

from allas_site.core.demo import indexed_once
from courses.models import CourseIndexPage, CoursePage, LessonPage

_numbers = itertools.count(1)


def quiz_value():
    """Two questions: a single choice (first answer right) and a true/false (true)."""
    return [
        ("choice", {
            "question": "¿Qué es la cooperación descentralizada?",
            "multiple": False,
            "answers": [
                {"text": "Cooperación entre gobiernos locales", "correct": True,
                 "feedback": "Exacto: la protagonizan ciudades y regiones."},
                {"text": "Cooperación solo entre Estados", "correct": False,
                 "feedback": "No: esa es la cooperación bilateral clásica."},
                {"text": "Ayuda humanitaria", "correct": False, "feedback": ""},
            ],
        }),
        ("true_false", {
            "question": "Las redes de ciudades facilitan el aprendizaje entre pares.",
            "correct": True,
            "feedback_true": "Sí: es una de sus funciones principales.",
            "feedback_false": "Repasa la lección 2.",
        }),
    ]


@indexed_once()
def catalogue(home_page):
    existing = CourseIndexPage.objects.filter(locale=home_page.locale).first()
    if existing:
        return existing
    index = CourseIndexPage(title="Cursos", slug="cursos", locale=home_page.locale)
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@indexed_once()
def course(index, *, lessons=3, quiz=True, title=None, **fields):
    number = next(_numbers)
    title = title or f"Curso de prueba {number}"
    page = CoursePage(
        title=title, slug=f"curso-{number}", summary="Un curso para probar.",
        duration_hours=fields.pop("duration_hours", 12), **fields,
    )
    index.add_child(instance=page)
    for position in range(1, lessons + 1):
        lesson = LessonPage(
            title=f"Lección {position}", slug=f"leccion-{position}",
            body=[("paragraph", f"<p>Contenido de la lección {position}.</p>")],
        )
        if quiz and position == lessons:
            lesson.quiz = quiz_value()
            lesson.pass_mark = 100
            lesson.max_attempts = 2
        page.add_child(instance=lesson)
    # Published as editors do, so the other languages' trees get their aliases.
    page.save_revision().publish()
    for lesson in LessonPage.objects.child_of(page):
        lesson.save_revision().publish()
    return CoursePage.objects.get(pk=page.pk)


def lessons_of(course_page):
    return list(LessonPage.objects.child_of(course_page).order_by("path"))


def right_answers(lesson):
    return {qid: [c[0] for c in choices if c[2]] for qid, _k, _v, choices in
            lesson.quiz_questions()}


def wrong_answers(lesson):
    return {qid: [next(c[0] for c in choices if not c[2])] for qid, _k, _v, choices in
            lesson.quiz_questions()}
