"""Editors' side: reports with CSV/XLSX/SVG, bulk enrolment, certificates, page types."""

import io

import pytest
from wagtail.test.utils import WagtailPageTestCase

from courses import reports, services
from courses.models import Certificate, CourseIndexPage, CoursePage, Enrollment, LessonPage
from tests import factories as people
from tests.courses import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, editor):
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    return client


def test_reports_figures_and_exports(admin_client, course, learner):
    other = people.learner()
    services.do_enroll(learner, course)
    services.do_enroll(other, course)
    quiz = factories.lessons_of(course)[-1]
    services.do_submit_quiz(learner, quiz, factories.wrong_answers(quiz))
    for lesson in factories.lessons_of(course)[:-1]:
        services.do_complete_lesson(other, lesson)
    services.do_submit_quiz(other, quiz, factories.right_answers(quiz))

    row = next(r for r in reports.course_rows() if r["course"].pk == course.pk)
    assert (row["enrolled"], row["completed"], row["completion_rate"]) == (2, 1, 50)
    assert row["average_progress"] == 50
    questions = reports.question_rows(course)
    assert [q["attempts"] for q in questions] == [2, 2]
    assert questions[0]["correct_rate"] == 50
    assert questions[0]["top_wrong_answer"] == "Cooperación solo entre Estados"

    html = admin_client.get("/admin/cursos/informes/").content.decode()
    assert "<svg" in html and course.title in html
    html = admin_client.get(f"/admin/cursos/informes/?curso={course.pk}").content.decode()
    assert "Cooperación solo entre Estados" in html
    response = admin_client.get("/admin/cursos/informes/?exportar=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert course.title in response.content.decode("utf-8-sig")
    response = admin_client.get(f"/admin/cursos/informes/?curso={course.pk}&exportar=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=2).value == "¿Qué es la cooperación descentralizada?"


def test_spreadsheet_cells_cannot_become_formulas():
    header, body = reports.table(reports.COURSE_COLUMNS, [
        {"title": "=HYPERLINK(\"x\")", "enrolled": 1, "completed": 0, "completion_rate": 0,
         "average_progress": 0},
    ])
    assert body[0][0].startswith("'=")


def test_svg_chart_escapes_and_scales():
    import datetime

    svg = reports.timeline_svg([(datetime.date(2026, 1, 1), 4, 2),
                                (datetime.date(2026, 2, 1), 0, 0)])
    assert svg.startswith("<svg") and svg.count("<rect") == 4


def test_admin_views_need_an_editor(client, learner):
    from django.contrib.auth.models import Permission

    # Past Wagtail's own admin check, so the refusal is the course views' own: Wagtail
    # turns it into a redirect to the dashboard (not to the login page).
    learner.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(learner)
    for url in ("/admin/cursos/informes/", "/admin/cursos/inscripcion-masiva/",
                "/admin/cursos/certificados/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/"), url


def test_bulk_enrolment_preview_then_confirm(admin_client, course, mailoutbox):
    people.learner(email="ana@ciudad.example")
    data = {"course": course.pk, "emails": "ana@ciudad.example\nnueva@ciudad.example\nmal\n"}
    response = admin_client.post("/admin/cursos/inscripcion-masiva/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Se inscribirá" in html and "Recibirá una invitación" in html
    assert "No es una dirección de correo válida" in html
    assert not Enrollment.objects.exists()
    upload = io.BytesIO(b"ana@ciudad.example\nnueva@ciudad.example\nmal\n")
    upload.name = "equipo.csv"
    response = admin_client.post("/admin/cursos/inscripcion-masiva/",
                                 {"course": course.pk, "csv_file": upload, "confirm": "1"})
    assert response.status_code == 302
    assert Enrollment.objects.filter(user__email="ana@ciudad.example").exists()
    assert course.invitations.filter(email="nueva@ciudad.example").exists()
    response = admin_client.post("/admin/cursos/inscripcion-masiva/", {"course": course.pk})
    assert "Sube un archivo CSV" in response.content.decode()


def test_revoke_from_the_admin(admin_client, course, learner):
    services.do_enroll(learner, course)
    for lesson in factories.lessons_of(course):
        if lesson.has_quiz:
            services.do_submit_quiz(learner, lesson, factories.right_answers(lesson))
        else:
            services.do_complete_lesson(learner, lesson)
    certificate = Certificate.objects.get()
    assert certificate.code in admin_client.get("/admin/cursos/certificados/").content.decode()
    response = admin_client.post(f"/admin/cursos/certificados/{certificate.pk}/revocar/",
                                 {"reason": "Duplicado"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Duplicado" and not certificate.is_valid


class TestCoursePageTypes(WagtailPageTestCase):
    def test_tree(self):
        from allas_site.core.models import HomePage

        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage})
        self.assertAllowedSubpageTypes(LessonPage, set())


def test_editor_previews_render(course, editor):
    from django.test import RequestFactory

    lesson = factories.lessons_of(course)[-1]
    for page in (course, lesson):
        request = RequestFactory().get(page.url)
        request.user = editor
        response = page.serve_preview(request, page.default_preview_mode)
        assert response.status_code == 200
        response.render()
        assert page.title in response.content.decode()
