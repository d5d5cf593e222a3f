"""The read API must not give away what only enrolled learners may read."""

import json

import pytest

from courses.blocks import FALSE_ID, TRUE_ID
from tests.courses import factories

pytestmark = pytest.mark.django_db


def test_lesson_bodies_and_quiz_answers_are_not_in_the_api(client, course):
    lesson = factories.lessons_of(course)[-1]
    right = factories.right_answers(lesson)
    # Question ids and right answer ids (true/false answers have plain-word ids).
    secret_answers = [*right, *(answer for ids in right.values() for answer in ids
                                if answer not in (TRUE_ID, FALSE_ID))]
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
