"""E-mails of the courses, sent through the task system in the learner's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from allas_site.core.navigation import absolute_url, localized_path


def _send(template, recipient, language, context):
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {**context, "language": translation.get_language()}
        subject = render_to_string(f"courses/email/{template}_subject.txt", context)
        body = render_to_string(f"courses/email/{template}.txt", context)
        send_mail(
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [recipient],
        )


@task()
def send_enrollment_confirmation(enrollment_id):
    from courses.models import Enrollment

    enrollment = (
        Enrollment.objects.select_related("user", "course").filter(pk=enrollment_id).first()
    )
    if enrollment is None or not enrollment.user.is_active:
        return False
    user = enrollment.user
    with translation.override(user.preferred_language):
        course = enrollment.course.get_translation_or_none(_active_locale()) or enrollment.course
        url = absolute_url(course) or absolute_url(localized_path("/mi-aprendizaje/"))
    _send("enrolled", user.email, user.preferred_language,
          {"user": user, "course": course, "course_url": url,
           "dashboard_url": _dashboard_url(user)})
    return True


@task()
def send_certificate_issued(certificate_id):
    from courses.models import Certificate

    certificate = (
        Certificate.objects.select_related("enrollment__user").filter(pk=certificate_id).first()
    )
    if certificate is None:
        return False
    user = certificate.enrollment.user
    with translation.override(user.preferred_language):
        verify_url = absolute_url(certificate.get_absolute_url())
    _send("certificate", user.email, user.preferred_language,
          {"user": user, "certificate": certificate, "verify_url": verify_url,
           "pdf_url": verify_url + "pdf/"})
    return True


@task()
def send_course_invitation(invitation_id):
    from courses.models import Invitation

    invitation = Invitation.objects.select_related("course", "invited_by").filter(
        pk=invitation_id
    ).first()
    if invitation is None or invitation.accepted_at is not None:
        return False
    language = invitation.course.locale.language_code
    with translation.override(language):
        signup_url = absolute_url(localized_path("/cuentas/signup/"))
        course_url = absolute_url(invitation.course) or absolute_url("/")
    _send("invitation", invitation.email, language,
          {"invitation": invitation, "course": invitation.course, "signup_url": signup_url,
           "course_url": course_url})
    return True


def _active_locale():
    from wagtail.models import Locale

    return Locale.objects.filter(language_code=translation.get_language()).first()


def _dashboard_url(user):
    with translation.override(user.preferred_language):
        return absolute_url(localized_path("/mi-aprendizaje/"))
