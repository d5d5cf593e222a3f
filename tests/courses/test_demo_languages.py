"""The demo catalogue in four languages: its page translated, the first course and its
lessons in English (quiz ids kept), the second shown untranslated with its language;
progress made on the Spanish course shows on the English one."""

import re

import pytest
from django.utils import translation
from wagtail.models import Locale

from courses import demo_translations, services
from courses.models import CoursePage, LessonPage

pytestmark = pytest.mark.django_db

FIRST = "internacionalizacion-estrategica-de-la-ciudad"
SECOND = "redes-de-ciudades-y-cooperacion-descentralizada"


@pytest.fixture
def demo(demo_for_module):
    """Built once for the module (see tests/conftest.py)."""


def _get(client, path):
    with translation.override("es"):
        response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_catalogue_lists_the_translated_course_first_and_labels_the_other(demo, client):
    for code, texts in demo_translations.INDEX.items():
        html = _get(client, f"/{code}/cursos/")
        assert re.search(r"<h1[^>]*>\s*" + re.escape(texts["title"]) + r"\s*</h1>", html)
        assert "notice--untranslated" not in html
    html = _get(client, "/en/cursos/")
    english = demo_translations.COURSES[FIRST]["en"]
    first, second = html.index(english["title"]), html.index(f'href="/en/cursos/{SECOND}/"')
    assert first < second
    assert 'class="badge badge--language" lang="en">In Spanish<' in html[second:]
    # The English course is filed under the English topics.
    assert "City diplomacy" in html[first:second]


def test_english_course_and_lessons_keep_the_spanish_structure(demo, client):
    spanish = CoursePage.objects.get(slug=FIRST, locale__language_code="es")
    english = spanish.get_translation(Locale.objects.get(language_code="en"))
    assert english.alias_of_id is None and english.language == "en"
    texts = demo_translations.COURSES[FIRST]["en"]
    for lesson in LessonPage.objects.child_of(spanish):
        translated = lesson.get_translation(english.locale)
        assert translated.alias_of_id is None
        assert lesson.summary
        assert (translated.title, translated.summary) == texts["lessons"][lesson.slug][:2]
        assert [q[0] for q in translated.quiz_questions()] == [
            q[0] for q in lesson.quiz_questions()
        ]
        assert [[a[0] for a in q[3]] for q in translated.quiz_questions()] == [
            [a[0] for a in q[3]] for q in lesson.quiz_questions()
        ]
    html = _get(client, f"/en/cursos/{FIRST}/")
    assert texts["title"] in html and "notice--untranslated" not in html
    html = _get(client, f"/en/cursos/{FIRST}/por-que-internacionalizarse/")
    assert "Key idea" in html and "neither a luxury nor an end in itself" in html
    assert "notice--untranslated" in _get(client, f"/en/cursos/{SECOND}/")


def test_progress_made_in_spanish_shows_on_the_english_course(demo, client, learner):
    spanish = CoursePage.objects.get(slug=FIRST, locale__language_code="es")
    client.force_login(learner)
    with translation.override("es"):
        response = client.post(f"/cursos/{FIRST}/inscribirse/")
    assert response.status_code in (200, 302)
    services.do_complete_lesson(learner, LessonPage.objects.child_of(spanish).first())
    html = _get(client, f"/en/cursos/{FIRST}/")
    assert 'aria-valuenow="20"' in html and "20 % complete" in html
