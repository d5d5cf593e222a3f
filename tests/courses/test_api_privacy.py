"""The read API must not give away what only enrolled learners may read."""

import json

import pytest

from tests.courses import factories

pytestmark = pytest.mark.django_db


def test_lesson_bodies_and_quiz_answers_are_not_in_the_api(client, course):
    lesson = factories.lessons_of(course)[-1]
    secret_answers = [str(answer) for answer in factories.right_answers(lesson)]
    listing = client.get("/api/v2/pages/", {"type": "courses.LessonPage", "fields": "*"})
    assert listing.status_code == 200
    detail = client.get(f"/api/v2/pages/{lesson.pk}/")
    assert detail.status_code == 200
    for response in (listing, detail):
        data = json.loads(response.content)
        text = json.dumps(data)
        assert "quiz" not in text
        assert "body" not in (data.get("items", [data])[0])
        for answer in secret_answers:
            assert f'"{answer}"' not in text
