"""A learner's enrolments, kept per learner for the pages (courses.enrolments): no query
once kept, and every write that changes what they show retires them."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courses import enrolments, services
from tests import factories as people
from tests.courses import factories

pytestmark = pytest.mark.django_db


def enrolment_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    return response.content.decode(), [q for q in sql if "courses_" in q]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_pages_read_no_enrolment_once_kept(learner, course, settings):
    settings.PAGE_CACHE_SECONDS = 0
    services.do_enroll(learner, course)
    member = signed_in(learner)
    for url in (course.url, "/cursos/", "/"):
        member.get(url)  # keeps them (and the shared course lists)
        _html, queries = enrolment_queries(member, url)
        assert queries == [], url


def test_a_completed_lesson_and_a_revoked_certificate_show_on_the_next_page(
    learner, editor, catalogue
):
    course = factories.course(catalogue, lessons=2, quiz=False)
    first, second = factories.lessons_of(course)
    services.do_enroll(learner, course)
    member = signed_in(learner)
    assert "Empezar el curso" in member.get(course.url).content.decode()
    services.do_complete_lesson(learner, first)
    html, _queries = enrolment_queries(member, course.url)
    assert "Continuar donde lo dejaste" in html
    services.do_complete_lesson(learner, second)
    certificate = enrolments.of(learner)[course.translation_key].certificate
    assert "Ver tu certificado" in member.get(course.url).content.decode()

    services.do_revoke_certificate(editor, certificate, reason="error de registro")
    assert "Ver tu certificado" not in member.get(course.url).content.decode()


def test_each_learner_sees_only_their_own(course):
    first, second = people.learner(), people.learner()
    services.do_enroll(first, course)
    assert "Empezar el curso" in signed_in(first).get(course.url).content.decode()
    html = signed_in(second).get(course.url).content.decode()
    assert "Empezar el curso" not in html and "Inscribirme" in html
    assert course.translation_key not in enrolments.of(second)
