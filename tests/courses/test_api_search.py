"""The API searches only what an anonymous visitor may read, and refuses hostile
parameters with a 400 and a reason instead of answering 500."""

import json

import pytest
from wagtail.search.backends import get_search_backend

from tests.courses import factories

pytestmark = pytest.mark.django_db

SECRET_WORD = "xilografiaconfidencial"


def lock_secret_in(lesson, *, preview=False):
    lesson.body = [("paragraph", f"<p>Solo para inscritos: {SECRET_WORD}.</p>")]
    lesson.free_preview = preview
    lesson.save_revision().publish()
    get_search_backend().add(lesson)


def found(client, word):
    response = client.get("/api/v2/pages/", {"search": word})
    assert response.status_code == 200, response.content
    return [item["id"] for item in json.loads(response.content)["items"]]


def test_a_locked_lesson_cannot_be_found_by_its_body(client, course):
    lesson = factories.lessons_of(course)[1]
    lock_secret_in(lesson)
    assert found(client, SECRET_WORD) == []
    # The lesson is still listed by title, as on the course page.
    listing = client.get("/api/v2/pages/", {"type": "courses.LessonPage"})
    assert lesson.pk in [item["id"] for item in json.loads(listing.content)["items"]]


def test_a_free_preview_lesson_is_searchable(client, course):
    lesson = factories.lessons_of(course)[0]
    lock_secret_in(lesson, preview=True)
    assert found(client, SECRET_WORD) == [lesson.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"search": "\x00"},
        {"search": "ciudad\x00es"},
        {"search": "x" * 500},
        {"offset": "99999999999999999999999"},
        {"offset": "²"},
        {"offset": "-1"},
        {"limit": "٣"},
    ],
)
def test_hostile_listing_parameters_are_a_400_with_a_reason(client, home_page, params):
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 400
    assert_reason(response)


def assert_reason(response):
    if response["Content-Type"].startswith("text/plain"):
        # NUL characters are refused before any view, for every URL (request_guard).
        assert "nulo" in response.content.decode()
    else:
        assert json.loads(response.content)["message"]


@pytest.mark.parametrize(
    "query", ["1'\"><x>", "AND OR NOT", "\"unbalanced", "a* OR (b", "NEAR(a b)", "-", "*"]
)
def test_search_syntax_never_breaks_the_api(client, home_page, query):
    response = client.get("/api/v2/pages/", {"search": query})
    assert response.status_code in {200, 400}
    assert "message" in json.loads(response.content) or "items" in json.loads(response.content)


@pytest.mark.parametrize("pk", ["99999999999999999999999", "9223372036854775808"])
def test_ids_beyond_64_bits_are_not_found(client, home_page, pk):
    assert client.get(f"/api/v2/pages/{pk}/").status_code == 404


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
@pytest.mark.parametrize("value", ["²", "1\x00", "", "99999999999999999999999"])
def test_find_by_a_hostile_id_is_a_400(client, home_page, endpoint, value):
    response = client.get(f"/api/v2/{endpoint}/find/", {"id": value})
    assert response.status_code == 400
    assert_reason(response)
