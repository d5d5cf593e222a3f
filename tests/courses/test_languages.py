"""Courses in every language: the same course, progress and links under /en/ /fr/ /pt/."""

import pytest
from django.utils import translation
from wagtail.models import Locale

from allas_site.core import page_tree
from courses import services
from courses.models import CoursePage
from tests.courses import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _spanish_after_each_test():
    yield
    translation.activate("es")


def test_the_catalogue_course_and_lessons_answer_in_every_language(client, course):
    lesson = factories.lessons_of(course)[0]
    for prefix in ("/en", "/fr", "/pt"):
        assert client.get(f"{prefix}/cursos/").status_code == 200
        page = client.get(f"{prefix}/cursos/{course.slug}/")
        assert page.status_code == 200 and "notice--untranslated" in page.content.decode()
        assert client.get(f"{prefix}/cursos/{course.slug}/{lesson.slug}/").status_code in (
            200, 302,  # a lesson behind enrolment sends a visitor to the course or log-in
        )


def test_progress_made_in_spanish_shows_on_the_english_course_and_dashboard(
    client, learner, course
):
    services.do_enroll(learner, course)
    services.do_complete_lesson(learner, factories.lessons_of(course)[0])
    english = page_tree.start_translation(course, Locale.objects.get(language_code="en"))
    english.title = "Strategic internationalisation"
    english.save_revision().publish()
    client.force_login(learner)
    course_page = client.get(f"/en/cursos/{english.slug}/")
    assert course_page.context["enrollment"] is not None
    assert course_page.context["action"] == "continue"
    html = client.get("/en/mi-aprendizaje/").content.decode()
    # The English dashboard names and links the English course, not the Spanish one.
    assert "Strategic internationalisation" in html
    assert f'href="/en/cursos/{english.slug}/' in html
    assert f'href="/cursos/{course.slug}/' not in html
    # A course not translated into French is shown from the French tree, marked Spanish.
    french = client.get("/fr/mi-aprendizaje/").content.decode()
    assert f'lang="es"><a href="/fr/cursos/{course.slug}/' in french


def test_enrolling_from_the_french_tree_counts_for_the_spanish_course(client, learner, course):
    french = CoursePage.objects.get(
        translation_key=course.translation_key, locale__language_code="fr"
    )
    client.force_login(learner)
    response = client.post(f"/fr/cursos/{french.slug}/inscribirse/")
    assert response.status_code == 302
    assert services.get_enrollment(learner, course) is not None
    spanish = client.get(f"/cursos/{course.slug}/")
    assert spanish.context["action"] == "continue"
