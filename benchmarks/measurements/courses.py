"""Course pages: queries per request as data grows, and requests per second.

Part one runs in a Django subprocess inside a transaction that is rolled back, so the
bench database is left as it was: a course with 2 and with 50 lessons, a learner with 2
and with 30 enrolments, the catalogue with 2 and with 30 courses. Part two loads the
demo course page, the catalogue and the demo learner's /mi-aprendizaje/ (signed in with
a session cookie) under the first selected server.
"""

import json

from servers import running

from .base import Column, Measurement
from .django_script import QUERY_COUNTER, run_django, warm_load

DEMO_COURSE = "/cursos/internacionalizacion-estrategica-de-la-ciudad/"
QUERY_SCRIPT = r"""
import io, json, django
django.setup()
from django.db import connection, transaction
from django.test import Client
from wagtail.models import Locale
from allas_site.core.models import HomePage
from courses import services
from courses.models import CourseIndexPage, CoursePage, LessonPage
from tests import factories as people

def make_course(index, n, lessons):
    course = CoursePage(title=f"Bench {n}", slug=f"bench-course-{n}", summary="bench")
    index.add_child(instance=course)
    for i in range(lessons):
        course.add_child(instance=LessonPage(title=f"L{i}", slug=f"l{i}"))
    return CoursePage.objects.get(pk=course.pk)

""" + QUERY_COUNTER + r"""
out = {}
with transaction.atomic():
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    index = CourseIndexPage(title="Bench", slug="bench-cursos")
    home.add_child(instance=index)
    user = people.learner(email="bench-learner@bench.example")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    small, large = make_course(index, 0, 2), make_course(index, 1, 50)
    for course in (small, large):
        services.do_enroll(user, course)
    out["course page"] = [queries(client, small.url), queries(client, large.url)]
    out["/mi-aprendizaje/"] = [queries(client, "/mi-aprendizaje/")]
    out["catalogue"] = [queries(client, index.url)]
    for n in range(2, 30):
        services.do_enroll(user, make_course(index, n, 2))
    out["/mi-aprendizaje/"].append(queries(client, "/mi-aprendizaje/"))
    out["catalogue"].append(queries(client, index.url))
    transaction.set_rollback(True)
print("BENCH-JSON" + json.dumps(out))
"""

SESSION_SCRIPT = r"""
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
user = get_user_model().objects.get(email="aprendiz@allas.local")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print("BENCH-SESSION" + session.session_key)
"""

SIZES = {"course page": ("2 lessons", "50 lessons"),
         "/mi-aprendizaje/": ("2 enrolments", "30 enrolments"),
         "catalogue": ("2 courses", "30 courses")}


def course_pages(ctx):
    counts = json.loads(run_django(ctx.env, QUERY_SCRIPT, "BENCH-JSON", "course"))
    rows = []
    for page, (small, large) in counts.items():
        rows.append({
            "page": page, "small": SIZES[page][0], "small_queries": small,
            "large": SIZES[page][1], "large_queries": large, "constant": small == large,
            "req_per_s": None, "p95_ms": None, "errors": None,
        })
    server = ctx.servers[0]
    session = run_django(ctx.env, SESSION_SCRIPT, "BENCH-SESSION", "course")
    cookie = {"Cookie": f"sessionid={session}"}
    paths = {"course page": (DEMO_COURSE, None), "/mi-aprendizaje/": ("/mi-aprendizaje/", cookie),
             "catalogue": ("/cursos/", None)}
    with running(server, ctx.env) as port:
        for row in rows:
            path, headers = paths[row["page"]]
            result = warm_load(ctx, port, path, headers)
            row.update(req_per_s=result.req_per_s, p95_ms=result.percentile_ms(95),
                       errors=result.errors, load=result.as_dict(), path=path)
    summary = [
        f"{row['page']}: {row['small_queries']} queries with {row['small']}, "
        f"{row['large_queries']} with {row['large']}"
        + ("" if row["constant"] else "  <-- NOT CONSTANT")
        for row in rows
    ]
    summary.append(f"Requests per second under {server.name} (one worker), demo data.")
    return Measurement(
        name="courses",
        title="Course pages: queries as data grows, requests per second",
        columns=[
            Column("page", "page"),
            Column("small", "small"),
            Column("small_queries", "queries"),
            Column("large", "large"),
            Column("large_queries", "queries"),
            Column("req_per_s", "req/s", "{:.0f}"),
            Column("p95_ms", "p95 ms", "{:.1f}"),
            Column("errors", "errors"),
        ],
        rows=rows,
        summary=summary,
        parameters={"server": server.name, "concurrency": ctx.concurrency,
                    "requests": max(ctx.requests // 4, 100)},
    )
