"""Wagtail's view-restriction check costs no query while no page is restricted, and
works as before (and retires anonymous copies) once a page is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

pytestmark = pytest.mark.django_db


def _restriction_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries if "pageviewrestriction" in q["sql"]]


def test_no_restriction_no_query_then_login_required_then_public_again(
    client, home_page, learner, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")  # fills the route, the site list and the answer "none exists"
    response, queries = _restriction_queries(client, "/")
    assert response.status_code == 200 and queries == []

    settings.PAGE_CACHE_SECONDS = 300
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"  # an anonymous copy is kept
    restriction = PageViewRestriction.objects.create(
        page=home_page, restriction_type=PageViewRestriction.LOGIN
    )
    response, queries = _restriction_queries(client, "/")
    assert response.status_code == 302 and "login" in response["Location"]
    assert queries  # Wagtail's own check
    client.force_login(learner)
    assert client.get("/").status_code == 200
    client.logout()

    restriction.delete()
    assert client.get("/").status_code == 200
    settings.PAGE_CACHE_SECONDS = 0
    response, queries = _restriction_queries(client, "/")
    assert response.status_code == 200 and queries == []


def test_the_catalogue_skips_the_restriction_query_until_a_course_is_restricted(
    client, home_page, settings
):
    from tests.courses import factories

    settings.PAGE_CACHE_SECONDS = 0
    catalogue = factories.catalogue(home_page)
    open_course = factories.course(catalogue, title="Curso abierto", lessons=0)
    closed_course = factories.course(catalogue, title="Curso reservado", lessons=0)
    client.get("/cursos/")
    response, queries = _restriction_queries(client, "/cursos/")
    assert queries == [] and "Curso reservado" in response.content.decode()

    PageViewRestriction.objects.create(page=closed_course,
                                       restriction_type=PageViewRestriction.LOGIN)
    response, queries = _restriction_queries(client, "/cursos/")
    html = response.content.decode()
    assert queries and open_course.title in html and "Curso reservado" not in html
