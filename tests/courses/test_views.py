"""Pages a learner sees: catalogue, course, lessons, quiz, dashboard, certificates."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.models import Certificate, Enrollment, EnrolmentMode, LessonCompletion, QuizAttempt
from tests import factories as people
from tests.courses import factories

pytestmark = pytest.mark.django_db


def finish(user, course):
    for lesson in factories.lessons_of(course):
        if lesson.has_quiz:
            services.do_submit_quiz(user, lesson, factories.right_answers(lesson))
        else:
            services.do_complete_lesson(user, lesson)


def count_queries(client, url):
    client.get(url)  # warm-up: per-process caches (site root paths, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_catalogue_shows_courses_with_the_learners_state(client, learner, catalogue):
    first = factories.course(catalogue, title="Internacionalización estratégica")
    second = factories.course(catalogue, title="Redes de ciudades")
    services.do_enroll(learner, first)
    services.do_complete_lesson(learner, factories.lessons_of(first)[0])
    services.do_enroll(learner, second)
    finish(learner, second)
    client.force_login(learner)
    html = client.get("/cursos/").content.decode()
    assert "Internacionalización estratégica" in html and "Redes de ciudades" in html
    assert "En curso 33 %" in html
    assert "Completado" in html
    assert html.count("<h1") == 1


def test_the_kept_catalogue_follows_publishing_and_each_learner_sees_their_own_state(
    client, learner, catalogue, settings
):
    """The catalogue's courses and cards are kept per process (courses.views): a course
    published after they were kept shows at once, and one learner's progress never
    reaches another learner or a visitor."""
    settings.PAGE_CACHE_SECONDS = 0  # rendered each time, from the kept parts
    first = factories.course(catalogue, title="Internacionalización estratégica")
    services.do_enroll(learner, first)
    services.do_complete_lesson(learner, factories.lessons_of(first)[0])
    member = people.learner()
    client.force_login(member)
    assert "En curso" not in client.get("/cursos/").content.decode()
    client.force_login(learner)
    assert "En curso 33 %" in client.get("/cursos/").content.decode()
    client.logout()
    assert "En curso" not in client.get("/cursos/").content.decode()
    factories.course(catalogue, title="Redes de ciudades")
    for who in (None, member, learner):
        if who is not None:
            client.force_login(who)
        html = client.get("/cursos/").content.decode()
        assert "Redes de ciudades" in html and "Internacionalización estratégica" in html
        assert ("En curso 33 %" in html) == (who == learner)


def test_catalogue_filters(client, catalogue):
    factories.course(catalogue, title="Curso corto avanzado", duration_hours=3, level="advanced")
    factories.course(catalogue, title="Curso largo en inglés", duration_hours=30, language="en",
                     course_format="scheduled")
    html = client.get("/cursos/?nivel=advanced").content.decode()
    assert "Curso corto avanzado" in html and "Curso largo en inglés" not in html
    html = client.get("/cursos/?duracion=largo&idioma=en&formato=scheduled").content.decode()
    assert "Curso largo en inglés" in html and "Curso corto avanzado" not in html
    # Unknown filter values are ignored, not a 500.
    assert client.get("/cursos/?nivel=zzz&tema=<script>&pagina=x").status_code == 200


def test_catalogue_query_count_does_not_grow(client, learner, catalogue):
    client.force_login(learner)
    for _index in range(2):
        services.do_enroll(learner, factories.course(catalogue, lessons=1, quiz=False))
    small = count_queries(client, "/cursos/")
    for _index in range(20):
        services.do_enroll(learner, factories.course(catalogue, lessons=0, quiz=False))
    assert count_queries(client, "/cursos/") == small


def test_course_page_query_count_with_50_lessons(client, learner, catalogue):
    client.force_login(learner)
    small = factories.course(catalogue, lessons=2)
    large = factories.course(catalogue, lessons=50)
    for course in (small, large):
        services.do_enroll(learner, course)
        services.do_complete_lesson(learner, factories.lessons_of(course)[0])
    assert count_queries(client, small.url) == count_queries(client, large.url)
    html = client.get(large.url).content.decode()
    assert html.count('class="syllabus__item') == 50


def test_dashboard_query_count_with_30_enrolments(client, learner, catalogue):
    client.force_login(learner)
    for _index in range(2):
        services.do_enroll(learner, factories.course(catalogue, lessons=2, quiz=False))
    small = count_queries(client, "/mi-aprendizaje/")
    for index in range(28):
        course = factories.course(catalogue, lessons=2, quiz=False)
        services.do_enroll(learner, course)
        if index % 9 == 0:
            finish(learner, course)
    assert count_queries(client, "/mi-aprendizaje/") == small


def test_course_page_actions(client, learner, catalogue):
    course = factories.course(catalogue)
    html = client.get(course.url).content.decode()
    assert "Entra para inscribirte" in html
    client.force_login(learner)
    assert "Inscribirme" in client.get(course.url).content.decode()
    response = client.post(course.url + "inscribirse/")
    first = factories.lessons_of(course)[0]
    assert response.status_code == 302 and response["Location"] == first.url
    html = client.get(course.url).content.decode()
    assert "Empezar el curso" in html
    services.do_complete_lesson(learner, first)
    html = client.get(course.url).content.decode()
    assert "Continuar donde lo dejaste" in html and "Lección 2" in html
    finish(learner, course)
    html = client.get(course.url).content.decode()
    assert "Ver tu certificado" in html and Certificate.objects.get().code in html


def test_enrolling_twice_by_post_shows_a_message(client, learner, course):
    client.force_login(learner)
    client.post(course.url + "inscribirse/")
    response = client.post(course.url + "inscribirse/", follow=True)
    assert "Ya estás inscrito en este curso." in response.content.decode()
    assert Enrollment.objects.count() == 1
    assert client.get(course.url + "inscribirse/").status_code == 405


def test_prerequisite_message_names_the_course(client, learner, catalogue):
    first = factories.course(catalogue, title="Fundamentos")
    second = factories.course(catalogue)
    second.prerequisites.add(first)
    second.save_revision().publish()
    client.force_login(learner)
    html = client.get(second.url).content.decode()
    assert "completa el curso «Fundamentos»" in html
    response = client.post(second.url + "inscribirse/", follow=True)
    assert "completa el curso «Fundamentos»" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_closed_course_says_so(client, learner, catalogue):
    course = factories.course(catalogue, enrolment_mode=EnrolmentMode.CLOSED)
    client.force_login(learner)
    assert "La inscripción a este curso está cerrada." in client.get(course.url).content.decode()


def test_only_enrolled_learners_open_lessons_unless_free_preview(client, learner, course):
    first, second, _quiz = factories.lessons_of(course)
    response = client.get(first.url)
    assert response.status_code == 302 and "/cuentas/login/" in response["Location"]
    client.force_login(learner)
    response = client.get(first.url)
    assert response.status_code == 302 and response["Location"] == course.url
    second.free_preview = True
    second.save_revision().publish()
    client.logout()
    html = client.get(second.url).content.decode()
    assert "vista previa libre" in html
    client.force_login(learner)
    services.do_enroll(learner, course)
    html = client.get(first.url).content.decode()
    assert "Marcar como completada" in html and 'rel="next"' in html


def test_mark_as_completed_moves_on(client, learner, course):
    first, second, _quiz = factories.lessons_of(course)
    client.force_login(learner)
    response = client.post(first.url + "completar/")
    assert response.status_code == 302 and response["Location"] == course.url
    assert not LessonCompletion.objects.exists()
    services.do_enroll(learner, course)
    response = client.post(first.url + "completar/")
    assert response["Location"] == second.url
    html = client.get(second.url).content.decode()
    assert "is-done" in html
    assert client.get(first.url + "completar/").status_code == 405


def test_quiz_by_form_post(client, learner, course):
    quiz = factories.lessons_of(course)[-1]
    services.do_enroll(learner, course)
    client.force_login(learner)
    html = client.get(quiz.url).content.decode()
    assert "Enviar respuestas" in html and "correct" not in html.split("quiz-form")[1].lower()
    wrong = {f"q-{qid}": ids for qid, ids in factories.wrong_answers(quiz).items()}
    response = client.post(quiz.url + "cuestionario/", wrong)
    assert response.status_code == 302
    html = client.get(quiz.url).content.decode()
    assert "No aprobado: 0 %" in html and "No: esa es la cooperación bilateral" in html
    bad = {"q-nope": ["x"]}
    response = client.post(quiz.url + "cuestionario/", bad)
    assert response.status_code == 400
    assert "no existen" in response.content.decode()
    right = {f"q-{qid}": ids for qid, ids in factories.right_answers(quiz).items()}
    client.post(quiz.url + "cuestionario/", right)
    html = client.get(quiz.url).content.decode()
    assert "Aprobado: 100 %" in html
    assert QuizAttempt.objects.count() == 2
    response = client.post(quiz.url + "cuestionario/", right)
    assert response.status_code == 400 and QuizAttempt.objects.count() == 2


def test_dashboard_lists_courses_next_lesson_and_certificates(client, learner, catalogue):
    ongoing = factories.course(catalogue, title="Curso en marcha")
    done = factories.course(catalogue, title="Curso terminado")
    services.do_enroll(learner, ongoing)
    services.do_complete_lesson(learner, factories.lessons_of(ongoing)[0])
    services.do_enroll(learner, done)
    finish(learner, done)
    client.force_login(learner)
    html = client.get("/mi-aprendizaje/").content.decode()
    assert "Curso en marcha" in html and "Siguiente lección: Lección 2" in html
    assert Certificate.objects.get().code in html
    assert client.get("/en/mi-aprendizaje/").status_code == 200
    client.logout()
    assert client.get("/mi-aprendizaje/").status_code == 302


def test_dashboard_section_hook(client, learner):
    from wagtail import hooks

    from courses.dashboard import HOOK_NAME, DashboardSection

    def webinars(request):
        return DashboardSection("webinars", "Mis webinars", "courses/certificate_lookup_form.html")

    client.force_login(learner)
    with hooks.register_temporarily(HOOK_NAME, webinars):
        html = client.get("/mi-aprendizaje/").content.decode()
    assert "Mis webinars" in html


def test_certificate_verification_and_pdf(client, learner, course):
    learner.first_name, learner.last_name = "Sofía", "Paredes"
    learner.save()
    services.do_enroll(learner, course)
    finish(learner, course)
    certificate = Certificate.objects.get()
    html = client.get(f"/certificados/{certificate.code}/").content.decode()
    assert "Certificado válido" in html and "Sofía Paredes" in html and course.title in html
    assert client.get("/certificados/AL-NOPE-NOPE-NOPE/").status_code == 404
    assert client.get(f"/certificados/?codigo={certificate.code.lower()}").status_code == 302
    # The PDF is for its holder.
    assert client.get(f"/certificados/{certificate.code}/pdf/").status_code == 302
    client.force_login(people.learner())
    assert client.get(f"/certificados/{certificate.code}/pdf/").status_code == 403
    client.force_login(learner)
    response = client.get(f"/certificados/{certificate.code}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    services.do_revoke_certificate(people.editor(), certificate, "Datos erróneos")
    html = client.get(f"/certificados/{certificate.code}/").content.decode()
    assert "Certificado revocado" in html and "Datos erróneos" in html
    assert client.get(f"/certificados/{certificate.code}/pdf/").status_code == 410


def test_home_page_shows_open_courses(client, course):
    html = client.get("/").content.decode()
    assert "Cursos abiertos" in html and course.title in html


def test_user_data_export_includes_courses(learner, course):
    from allas_site.accounts.services import export_user_data

    services.do_enroll(learner, course)
    data = export_user_data(learner)
    assert data["courses"][0]["course"] == course.title
