"""Every write to enrolments, progress, quizzes, certificates and invitations.

``check_*`` validates and checks permission (raises ``CourseError`` with a message safe
to show); ``do_*`` changes data in one transaction; ``notify_*`` builds the events,
e-mails and in-app notifications, which leave after commit.
"""

import csv
import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from allas_site.accounts import roles
from allas_site.notifications.services import do_notify
from allas_site.realtime import send_event_on_commit, user_group
from courses.models import (
    Certificate,
    Enrollment,
    Invitation,
    LessonCompletion,
    QuizAttempt,
)

MAX_BULK_ROWS = 2000


class CourseError(Exception):
    """A refused course action; the message is safe to show to the person."""


# --- Permissions ---------------------------------------------------------------------------


def is_course_editor(user):
    # has_role already answers yes for a superuser and no for an anonymous visitor.
    return roles.has_role(user, roles.EDITORS) or user.has_perm("courses.change_certificate")


def get_enrollment(user, course):
    if not user.is_authenticated:
        return None
    return Enrollment.objects.for_user(user).for_course(course).first()


def can_open_lesson(user, lesson, enrollment):
    return bool(lesson.free_preview or enrollment is not None or is_course_editor(user))


# --- Enrolment -----------------------------------------------------------------------------


def completed_course_keys(user):
    return set(
        Enrollment.objects.for_user(user).filter(completed_at__isnull=False)
        .values_list("course_key", flat=True)
    )


def missing_prerequisites(user, prerequisites):
    """The courses of ``prerequisites`` that ``user`` has not completed (all of them for
    someone not signed in), in their order."""
    if not prerequisites:
        return []
    done = completed_course_keys(user)
    return [course for course in prerequisites if course.translation_key not in done]


def check_can_enroll(user, course, *, by_editor=False):
    """A learner enrols in a live course that is open, whose prerequisites they have
    completed. An editor's bulk enrolment skips the dates and prerequisites."""
    if not user.is_authenticated:
        raise CourseError(_("Entra en tu cuenta para inscribirte."))
    if not user.is_active:
        raise CourseError(_("Esta cuenta no está activa."))
    if not course.live:
        raise CourseError(_("Este curso no está publicado."))
    if Enrollment.objects.for_user(user).for_course(course).exists():
        raise CourseError(_("Ya estás inscrito en este curso."))
    if by_editor:
        return
    if not course.enrolment_is_open():
        raise CourseError(_("La inscripción a este curso está cerrada."))
    missing = missing_prerequisites(user, list(course.prerequisites.all()))
    if missing:
        raise CourseError(
            _("Antes de inscribirte, completa el curso «%(course)s».")
            % {"course": missing[0].title}
        )


@transaction.atomic
def do_enroll(user, course, *, source=Enrollment.Source.SELF, by_editor=False):
    """Enrol ``user`` in ``course``; sends the confirmation e-mail after commit."""
    check_can_enroll(user, course, by_editor=by_editor)
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                user=user, course=course, course_key=course.translation_key, source=source
            )
    except IntegrityError as error:  # a second request won the race
        raise CourseError(_("Ya estás inscrito en este curso.")) from error
    notify_enrolled(enrollment)
    return enrollment


def notify_enrolled(enrollment):
    from courses import tasks

    transaction.on_commit(
        lambda: tasks.send_enrollment_confirmation.enqueue(enrollment.pk), robust=True
    )
    send_event_on_commit(
        user_group(enrollment.user_id),
        {"type": "enrollment.created", "id": enrollment.pk},
    )


# --- Progress ------------------------------------------------------------------------------


def _lesson_and_enrollment(user, lesson):
    if not user.is_authenticated:
        raise CourseError(_("Entra en tu cuenta para continuar."))
    course = lesson.get_course()
    if course is None or not lesson.live:
        raise CourseError(_("Esta lección no está publicada."))
    enrollment = Enrollment.objects.for_user(user).for_course(course).first()
    if enrollment is None:
        raise CourseError(_("No estás inscrito en este curso."))
    return course, enrollment


def check_can_complete_lesson(user, lesson):
    course, enrollment = _lesson_and_enrollment(user, lesson)
    if lesson.has_quiz:
        raise CourseError(_("Esta lección se completa al aprobar su cuestionario."))
    return course, enrollment


def compute_progress(course, enrollment):
    required = [lesson.translation_key for lesson in course.required_lessons]
    if not required:
        return 100
    done = set(enrollment.completions.values_list("lesson_key", flat=True))
    return round(100 * sum(1 for key in required if key in done) / len(required))


def _record_completion(course, enrollment, lesson):
    LessonCompletion.objects.get_or_create(
        enrollment=enrollment, lesson_key=lesson.translation_key,
        defaults={"lesson": lesson},
    )
    # Lock the enrolment row so two completions at once compute progress in turn.
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    enrollment.progress = compute_progress(course, enrollment)
    enrollment.last_lesson = lesson
    fields = ["progress", "last_lesson"]
    if enrollment.progress >= 100 and enrollment.completed_at is None:
        enrollment.completed_at = timezone.now()
        fields.append("completed_at")
    enrollment.save(update_fields=fields)
    if enrollment.completed_at is not None:
        do_issue_certificate(enrollment)
    send_event_on_commit(
        user_group(enrollment.user_id),
        {"type": "progress.updated", "id": enrollment.pk, "progress": enrollment.progress},
    )
    return enrollment


@transaction.atomic
def do_complete_lesson(user, lesson):
    """Mark ``lesson`` completed for ``user`` (idempotent), update progress, and issue
    the certificate when the course is complete. Runs in one transaction."""
    course, enrollment = check_can_complete_lesson(user, lesson)
    return _record_completion(course, enrollment, lesson)


# --- Quizzes -------------------------------------------------------------------------------


@dataclass
class QuizResult:
    attempt: QuizAttempt
    feedback: dict  # question id -> {"correct": bool, "answers": [(id, text, feedback)]}
    attempts_left: int | None


def attempts_used(enrollment, lesson):
    return QuizAttempt.objects.filter(
        enrollment=enrollment, lesson_key=lesson.translation_key
    ).count()


def check_quiz_answers(lesson, answers):
    """``answers`` maps each question id to a list of answer ids; every id must be one
    of this quiz's and every question must be answered."""
    if not isinstance(answers, dict):
        raise CourseError(_("Respuestas con un formato no válido."))
    questions = {qid: (kind, choices) for qid, kind, _value, choices in lesson.quiz_questions()}
    unknown = set(answers) - set(questions)
    if unknown:
        raise CourseError(_("Hay respuestas a preguntas que no existen en este cuestionario."))
    cleaned = {}
    for qid, (kind, choices) in questions.items():
        chosen = answers.get(qid) or []
        if isinstance(chosen, str):
            chosen = [chosen]
        if not isinstance(chosen, list) or not all(isinstance(a, str) for a in chosen):
            raise CourseError(_("Respuestas con un formato no válido."))
        valid_ids = {choice[0] for choice in choices}
        if set(chosen) - valid_ids:
            raise CourseError(_("Hay respuestas que no existen en este cuestionario."))
        if not chosen:
            raise CourseError(_("Responde todas las preguntas antes de enviar."))
        if kind == "single" and len(set(chosen)) != 1:
            raise CourseError(_("Elige una sola respuesta en cada pregunta de opción única."))
        cleaned[qid] = sorted(set(chosen))
    return cleaned


def grade_quiz(lesson, cleaned):
    results, feedback = {}, {}
    for qid, _kind, _value, choices in lesson.quiz_questions():
        correct_ids = {choice[0] for choice in choices if choice[2]}
        chosen = set(cleaned[qid])
        results[qid] = chosen == correct_ids
        feedback[qid] = {
            "correct": results[qid],
            "answers": [(c[0], c[1], c[3]) for c in choices if c[0] in chosen],
        }
    score = round(100 * sum(results.values()) / len(results)) if results else 0
    return score, results, feedback


def check_can_submit_quiz(user, lesson, answers):
    course, enrollment = _lesson_and_enrollment(user, lesson)
    if not lesson.has_quiz:
        raise CourseError(_("Esta lección no tiene cuestionario."))
    used = attempts_used(enrollment, lesson)
    if lesson.max_attempts and used >= lesson.max_attempts:
        raise CourseError(_("Has agotado los intentos de este cuestionario."))
    return course, enrollment, used, check_quiz_answers(lesson, answers)


@transaction.atomic
def do_submit_quiz(user, lesson, answers):
    """Grade ``answers`` on the server, store the attempt and, when passed, complete
    the lesson. The attempt number is unique per learner and quiz, so two submissions
    at once cannot exceed the retake limit."""
    course, enrollment, used, cleaned = check_can_submit_quiz(user, lesson, answers)
    score, results, feedback = grade_quiz(lesson, cleaned)
    passed = score >= lesson.pass_mark
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                enrollment=enrollment, lesson=lesson, lesson_key=lesson.translation_key,
                number=used + 1, answers=cleaned, results=results, score=score, passed=passed,
            )
    except IntegrityError as error:
        raise CourseError(_("Ya se registró un envío de este cuestionario; recarga la página."))\
            from error
    if passed:
        _record_completion(course, enrollment, lesson)
    left = lesson.max_attempts - attempt.number if lesson.max_attempts else None
    return QuizResult(attempt=attempt, feedback=feedback, attempts_left=left)


# --- Certificates ----------------------------------------------------------------------------


@transaction.atomic
def do_issue_certificate(enrollment):
    """Issue the certificate of a completed enrolment, exactly once: the database's
    one-to-one constraint decides between two simultaneous calls."""
    if enrollment.completed_at is None:
        raise CourseError(_("El curso aún no está completo."))
    existing = Certificate.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing
    course = enrollment.course
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                enrollment=enrollment,
                learner_name=enrollment.user.get_full_name() or enrollment.user.public_name,
                course_title=course.title,
                hours=course.duration_hours,
            )
    except IntegrityError:
        return Certificate.objects.get(enrollment=enrollment)
    notify_certificate_issued(certificate)
    return certificate


def notify_certificate_issued(certificate):
    from courses import tasks

    user = certificate.enrollment.user
    do_notify(
        user,
        kind="certificate",
        title=_("Tu certificado de «%(course)s» está listo") % {"course": certificate.course_title},
        url=certificate.get_absolute_url(),
    )
    transaction.on_commit(
        lambda: tasks.send_certificate_issued.enqueue(certificate.pk), robust=True
    )


def check_can_revoke_certificate(actor, certificate):
    if not is_course_editor(actor):
        raise CourseError(_("No tienes permiso para revocar certificados."))
    if certificate.revoked_at is not None:
        raise CourseError(_("Este certificado ya está revocado."))


@transaction.atomic
def do_revoke_certificate(actor, certificate, reason=""):
    check_can_revoke_certificate(actor, certificate)
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_reason = (reason or "")[:300]
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return certificate


# --- Bulk enrolment and invitations -------------------------------------------------------------


@dataclass
class BulkRow:
    line: int
    email: str
    action: str  # "enrol", "already", "invite", "invited", "error"
    message: str = ""
    user: object = None


def parse_bulk_csv(text):
    """One e-mail per row (first column; a header row is allowed). Returns the rows
    with what would happen to each; bad rows carry a reason and are never dropped."""
    reader = csv.reader(io.StringIO(text))
    rows, seen = [], set()
    for number, record in enumerate(reader, start=1):
        if not record or not any(cell.strip() for cell in record):
            continue
        email = record[0].strip().lower()
        if number == 1 and "@" not in email and email in {"email", "e-mail", "correo",
                                                          "correo electrónico"}:
            continue
        if len(rows) >= MAX_BULK_ROWS:
            raise CourseError(_("El archivo tiene demasiadas filas (máximo %(max)s).")
                              % {"max": MAX_BULK_ROWS})
        try:
            validate_email(email)
        except ValidationError:
            rows.append(BulkRow(number, record[0].strip(), "error",
                                _("No es una dirección de correo válida.")))
            continue
        if email in seen:
            rows.append(BulkRow(number, email, "error", _("Dirección repetida en el archivo.")))
            continue
        seen.add(email)
        rows.append(BulkRow(number, email, ""))
    return rows


def preview_bulk_enrollment(course, rows):
    """Fill in what will happen to each valid row (three queries whatever the size)."""
    emails = [row.email for row in rows if not row.action]
    users = {u.email.lower(): u for u in get_user_model().objects.filter(email__in=emails)}
    enrolled = set(
        Enrollment.objects.for_course(course).filter(user__in=users.values())
        .values_list("user_id", flat=True)
    )
    invited = set(
        Invitation.objects.filter(course=course, email__in=emails, accepted_at__isnull=True)
        .values_list("email", flat=True)
    )
    for row in rows:
        if row.action:
            continue
        user = users.get(row.email)
        if user is not None:
            row.user = user
            if user.pk in enrolled:
                row.action, row.message = "already", _("Ya está inscrita.")
            elif not user.is_active:
                row.action, row.message = "error", _("La cuenta no está activa.")
            else:
                row.action, row.message = "enrol", _("Se inscribirá.")
        elif row.email in invited:
            row.action, row.message = "invited", _("Ya tiene una invitación pendiente.")
        else:
            row.action, row.message = "invite", _("Recibirá una invitación por correo.")
    return rows


def check_can_bulk_enroll(actor, course):
    if not is_course_editor(actor):
        raise CourseError(_("No tienes permiso para inscribir personas."))
    if not course.live:
        raise CourseError(_("Este curso no está publicado."))


@transaction.atomic
def do_bulk_enroll(actor, course, text):
    """Enrol existing people and invite unknown e-mails, all or nothing."""
    check_can_bulk_enroll(actor, course)
    rows = preview_bulk_enrollment(course, parse_bulk_csv(text))
    for row in rows:
        if row.action == "enrol":
            do_enroll(row.user, course, source=Enrollment.Source.BULK, by_editor=True)
        elif row.action == "invite":
            invitation = Invitation.objects.create(email=row.email, course=course,
                                                   invited_by=actor)
            notify_invited(invitation)
    return rows


def notify_invited(invitation):
    from courses import tasks

    transaction.on_commit(
        lambda: tasks.send_course_invitation.enqueue(invitation.pk), robust=True
    )


@transaction.atomic
def do_accept_invitations(user, email):
    """Enrol ``user`` in every course ``email`` was invited to (on e-mail confirmation)."""
    accepted = []
    for invitation in Invitation.pending_for(email).select_related("course"):
        course = invitation.course.specific
        if not Enrollment.objects.for_user(user).for_course(course).exists() and course.live:
            accepted.append(do_enroll(user, course, source=Enrollment.Source.INVITATION,
                                      by_editor=True))
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return accepted
