from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from allas_site.core import page_cache
from allas_site.core.home_sections import SHARED_SECTION_SECONDS, HomeSection
from allas_site.core.navigation import localized_path
from courses import admin_views, services, views
from courses.models import CourseIndexPage, CoursePage, Enrollment

admin_urls = [
    path("informes/", admin_views.report, name="report"),
    path("inscripcion-masiva/", admin_views.bulk_enrollment, name="bulk_enrollment"),
    path("certificados/", admin_views.certificates, name="certificates"),
    path("certificados/<int:pk>/revocar/", admin_views.revoke_certificate,
         name="revoke_certificate"),
]


@hooks.register("register_admin_urls")
def register_course_admin_urls():
    return [path("cursos/", include((admin_urls, "courses_admin"), namespace="courses_admin"))]


class EditorMenuItem(MenuItem):
    def is_shown(self, request):
        return services.is_course_editor(request.user)


class CoursesSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return services.is_course_editor(request.user)


course_menu = Menu(register_hook_name="register_courses_menu_item", construct_hook_name=None)


@hooks.register("register_admin_menu_item")
def register_courses_menu():
    return CoursesSubmenu(gettext_lazy("Cursos"), course_menu, icon_name="group", order=230)


@hooks.register("register_courses_menu_item")
def register_report_item():
    return EditorMenuItem(gettext_lazy("Informes"), reverse("courses_admin:report"),
                          icon_name="table", order=10)


@hooks.register("register_courses_menu_item")
def register_bulk_item():
    return EditorMenuItem(gettext_lazy("Inscripción masiva"),
                          reverse("courses_admin:bulk_enrollment"), icon_name="user", order=20)


@hooks.register("register_courses_menu_item")
def register_certificates_item():
    return EditorMenuItem(gettext_lazy("Certificados"), reverse("courses_admin:certificates"),
                          icon_name="doc-full", order=30)


HOME_COURSES = 3


def _open_courses(request, home_page):
    """The open courses and the catalogue's address: the same for every visitor."""
    locale = home_page.locale  # the home page served is already the request's language
    courses = [
        course for course in CoursePage.objects.catalogue(locale, request)
        .prefetch_related("cover__renditions")[: HOME_COURSES * 3]
        if course.enrolment_is_open()
    ][:HOME_COURSES]
    index = CourseIndexPage.objects.live().filter(locale=locale).first() if courses else None
    more_url = index.get_url(request) if index else localized_path("/cursos/")
    return courses, more_url


@hooks.register("allas_home_section")
def open_courses_section(request, home_page):
    # The list is shared (kept until publishing, or a few minutes for the enrolment
    # dates); only the learner's enrolments on the cards are read per request.
    key = f"home-section:courses:{home_page.pk}:{request.get_host()}"
    courses, more_url = page_cache.remember(
        request, key, lambda: _open_courses(request, home_page), SHARED_SECTION_SECONDS,
        shared=True,  # course_cards copies what it marks
    )
    if not courses:
        return None
    return HomeSection(
        key="courses",
        title=_("Cursos abiertos"),
        template="components/courses/home_section.html",
        context={"courses": views.course_cards(request, courses, more_url)},
        order=20,
        more_url=more_url,
        more_label=_("Todos los cursos"),
    )


@hooks.register("allas_demo_loader")
def load_course_demo(stdout):
    from courses.demo import load_courses

    load_courses(stdout)


@hooks.register("allas_user_data_export")
def export_course_data(user):
    enrollments = Enrollment.objects.filter(user=user).select_related("course", "certificate")
    data = []
    for enrollment in enrollments.prefetch_related("completions", "quiz_attempts"):
        certificate = getattr(enrollment, "certificate", None)
        data.append({
            "course": enrollment.course.title,
            "enrolled_at": enrollment.created_at.isoformat(),
            "progress": enrollment.progress,
            "completed_at": enrollment.completed_at.isoformat()
            if enrollment.completed_at else None,
            "lessons_completed": [c.completed_at.isoformat() for c in enrollment.completions.all()],
            "quiz_attempts": [
                {"number": a.number, "score": a.score, "passed": a.passed,
                 "at": a.created_at.isoformat()}
                for a in enrollment.quiz_attempts.all()
            ],
            "certificate": {
                "code": certificate.code, "issued_at": certificate.issued_at.isoformat(),
                "revoked": not certificate.is_valid,
            } if certificate else None,
        })
    return "courses", data
