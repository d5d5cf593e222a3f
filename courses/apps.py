from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"
    verbose_name = _("Cursos")

    def ready(self):
        # signals connects allauth's email_confirmed on import
        from courses import enrolments, signals  # noqa: F401

        enrolments.connect()
