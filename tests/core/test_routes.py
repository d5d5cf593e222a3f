"""Wagtail's page routing remembered per process (allas_site.core.routes): a warm request
takes its page from memory instead of walking the tree, and publishing, unpublishing,
renaming or moving a page is followed at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from allas_site.core import page_cache, routes
from courses import services
from courses.models import CoursePage
from tests.courses import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(home_page):
    return factories.course(factories.catalogue(home_page))


@pytest.fixture(autouse=True)
def _fresh_routes():
    routes.forget()
    yield
    routes.forget()


def get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [query["sql"] for query in captured]


def tree_walks(queries):
    # Wagtail's route() fetches each segment's child by slug.
    return [sql for sql in queries if '"wagtailcore_page"."slug" =' in sql]


def test_a_warm_route_fetches_one_page_and_no_segment(client, course, settings):
    settings.PAGE_CACHE_SECONDS = 0
    first, cold = get(client, course.url)
    assert first.status_code == 200 and tree_walks(cold)
    second, warm = get(client, course.url)
    assert second.status_code == 200 and not tree_walks(warm)
    assert second.content.count(course.title.encode()) == first.content.count(
        course.title.encode()
    )
    assert len(warm) < len(cold)


def test_publishing_a_change_shows_at_once(client, course, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(course.url)
    course.title = "Un título recién publicado"
    course.save_revision().publish()
    assert "Un título recién publicado" in client.get(course.url).content.decode()


def test_renaming_and_unpublishing_are_followed(client, course, settings):
    settings.PAGE_CACHE_SECONDS = 0
    old_url = course.url
    assert client.get(old_url).status_code == 200
    course.slug = "curso-renombrado"
    course.save_revision().publish()
    course = CoursePage.objects.get(pk=course.pk)
    assert client.get(old_url).status_code == 404
    assert client.get(course.url).status_code == 200
    course.unpublish()
    assert client.get(course.url).status_code == 404


def test_a_warm_page_is_not_fetched_again(client, course, settings):
    # Building the query for a page model (joined to Wagtail's page and its locale) cost
    # as much as routing the rest of a simple page: the live row is kept with the
    # page fragments.
    settings.PAGE_CACHE_SECONDS = 0
    client.get(course.url)  # the route from Wagtail's tree, and the page it found
    response, warm = get(client, course.url)
    assert response.status_code == 200
    assert not [sql for sql in warm if '"courses_coursepage"' in sql], warm


def test_each_request_gets_its_own_copy_of_the_page(rf, course):
    request = rf.get(course.url)
    first = routes._fetch(request, course.pk, course.content_type_id)
    first.get_view_restrictions = list  # what a request may set on its page
    second = routes._fetch(rf.get(course.url), course.pk, course.content_type_id)
    assert second is not first and second.pk == first.pk
    assert "get_view_restrictions" not in vars(second)


def test_a_page_taken_offline_behind_the_signals_goes_with_the_next_change(
    client, course, settings
):
    # Like the anonymous page cache: what bypasses Wagtail's signals (a bulk update, SQL
    # by hand) shows with the next publication, or after routes.PAGE_SECONDS.
    settings.PAGE_CACHE_SECONDS = 0
    assert client.get(course.url).status_code == 200
    CoursePage.objects.filter(pk=course.pk).update(live=False)  # no signal, no version bump
    page_cache.invalidate()  # any publication, anywhere on the site
    assert client.get(course.url).status_code == 404


def test_routable_sub_paths_still_route(client, learner, course, settings):
    settings.PAGE_CACHE_SECONDS = 0
    first = factories.lessons_of(course)[0]
    client.force_login(learner)
    services.do_enroll(learner, course)
    for _attempt in range(2):  # cold, then from memory
        html = client.get(first.url).content.decode()
        assert "Marcar como completada" in html
    # The course's own sub-path (enrolment) goes to its view, not to the course page.
    assert client.get(course.url + "inscribirse/").status_code != 404


def test_each_language_keeps_its_own_route(client, course, settings):
    settings.PAGE_CACHE_SECONDS = 0
    spanish = client.get("/cursos/")
    english = client.get("/en/cursos/")
    again = client.get("/cursos/")
    assert spanish.status_code == english.status_code == again.status_code == 200
    assert spanish["Content-Language"] == again["Content-Language"] == "es"
    assert english["Content-Language"] == "en"
