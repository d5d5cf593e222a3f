"""A member's read marks, kept for the Café's listings (community.read_marks): no query
once kept, and reading a debate moves the mark the next listing shows."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community import read_marks, services
from community.models import ReadState

pytestmark = pytest.mark.django_db


def listing(client):
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/cafe/").content.decode()
    return html, [q["sql"] for q in queries.captured_queries if "readstate" in q["sql"]]


def test_the_cafe_index_reads_no_marks_once_kept_and_follows_reading(
    public_category, make_debate, learner, expert
):
    debate = make_debate(public_category, author=expert)
    member = Client()
    member.force_login(learner)
    member.get("/cafe/")  # keeps the marks
    html, queries = listing(member)
    assert queries == [] and "Nuevo" in html

    assert member.get(debate.get_absolute_url()).status_code == 200  # marks it read
    html, _queries = listing(member)
    assert "Nuevo" not in html and "Sin leer" not in html

    services.do_create_post(expert, debate, "Una respuesta nueva")
    html, _queries = listing(member)
    assert "Sin leer" in html


def test_a_moved_or_deleted_mark_retires_the_kept_map(public_category, make_debate, learner):
    debate = make_debate(public_category)
    first = debate.posts.get()
    assert read_marks.marks(learner) == {}
    services.do_mark_read(learner, debate, first.pk)  # created: post_save
    learner._kept_read = {}  # a new request
    assert read_marks.marks(learner) == {debate.pk: first.pk}
    second = services.do_create_post(learner, debate, "Otra")
    services.do_mark_read(learner, debate, second.pk)  # moved with update()
    learner._kept_read = {}
    assert read_marks.marks(learner) == {debate.pk: second.pk}
    ReadState.objects.filter(user=learner).delete()
    learner._kept_read = {}
    assert read_marks.marks(learner) == {}
