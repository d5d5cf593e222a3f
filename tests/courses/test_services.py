"""The rules of enrolment, progress, quizzes and certificates, through the services."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from allas_site.notifications.models import Notification
from courses import services
from courses.models import (
    Certificate,
    Enrollment,
    EnrolmentMode,
    LessonCompletion,
    QuizAttempt,
)
from tests import factories as people
from tests.courses import factories

pytestmark = pytest.mark.django_db


def finish(user, course):
    """Complete every lesson of ``course`` for ``user`` (passing quizzes)."""
    for lesson in factories.lessons_of(course):
        if lesson.has_quiz:
            services.do_submit_quiz(user, lesson, factories.right_answers(lesson))
        else:
            services.do_complete_lesson(user, lesson)


def test_enrol_sends_the_confirmation_in_the_learners_language(
    learner, course, mailoutbox, run_on_commit
):
    learner.preferred_language = "en"
    learner.save()
    with run_on_commit():
        enrollment = services.do_enroll(learner, course)
    assert enrollment.course_key == course.translation_key
    assert enrollment.progress == 0
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [learner.email]
    assert course.title in message.subject
    assert "/mi-aprendizaje/" in message.body


def test_enrolling_twice_is_refused_and_changes_nothing(learner, course):
    services.do_enroll(learner, course)
    with pytest.raises(services.CourseError, match="Ya estás inscrito"):
        services.do_enroll(learner, course)
    assert Enrollment.objects.count() == 1


def test_the_database_refuses_a_duplicate_enrolment(learner, course):
    Enrollment.objects.create(user=learner, course=course)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(user=learner, course=course)


def test_closed_course_and_enrolment_window(learner, catalogue):
    closed = factories.course(catalogue, enrolment_mode=EnrolmentMode.CLOSED)
    with pytest.raises(services.CourseError, match="cerrada"):
        services.do_enroll(learner, closed)
    today = timezone.localdate()
    later = factories.course(
        catalogue, enrolment_mode=EnrolmentMode.WINDOW,
        enrolment_opens=today + datetime.timedelta(days=3),
    )
    with pytest.raises(services.CourseError, match="cerrada"):
        services.do_enroll(learner, later)
    now_open = factories.course(
        catalogue, enrolment_mode=EnrolmentMode.WINDOW,
        enrolment_opens=today - datetime.timedelta(days=1),
        enrolment_closes=today + datetime.timedelta(days=1),
    )
    services.do_enroll(learner, now_open)
    assert Enrollment.objects.count() == 1


def test_prerequisite_blocks_enrolment_naming_the_missing_course(learner, catalogue):
    first = factories.course(catalogue, title="Fundamentos de la acción internacional")
    second = factories.course(catalogue)
    second.prerequisites.add(first)
    second.save()
    with pytest.raises(services.CourseError, match="Fundamentos de la acción internacional"):
        services.do_enroll(learner, second)
    services.do_enroll(learner, first)
    finish(learner, first)
    assert services.do_enroll(learner, second).pk


def test_completing_a_lesson_of_a_course_one_is_not_enrolled_in(learner, course):
    lesson = factories.lessons_of(course)[0]
    with pytest.raises(services.CourseError, match="No estás inscrito"):
        services.do_complete_lesson(learner, lesson)
    assert not LessonCompletion.objects.exists()


def test_progress_and_idempotent_completion(learner, course):
    enrollment = services.do_enroll(learner, course)
    first, second, quiz = factories.lessons_of(course)
    services.do_complete_lesson(learner, first)
    services.do_complete_lesson(learner, first)
    enrollment.refresh_from_db()
    assert enrollment.progress == 33
    assert LessonCompletion.objects.count() == 1
    services.do_complete_lesson(learner, second)
    enrollment.refresh_from_db()
    assert enrollment.progress == 67
    assert enrollment.completed_at is None
    with pytest.raises(services.CourseError, match="cuestionario"):
        services.do_complete_lesson(learner, quiz)


def test_a_learner_cannot_forge_anothers_progress(learner, course):
    other = people.learner()
    services.do_enroll(other, course)
    lesson = factories.lessons_of(course)[0]
    # The services act on the signed-in person only: there is no way to name another.
    with pytest.raises(services.CourseError):
        services.do_complete_lesson(learner, lesson)
    assert not LessonCompletion.objects.exists()


def test_quiz_graded_on_the_server_with_retake_limit(learner, course):
    services.do_enroll(learner, course)
    quiz = factories.lessons_of(course)[-1]
    result = services.do_submit_quiz(learner, quiz, factories.wrong_answers(quiz))
    assert result.attempt.score == 0 and not result.attempt.passed
    assert result.attempts_left == 1
    assert all(not item["correct"] for item in result.feedback.values())
    choice_feedback = next(iter(result.feedback.values()))["answers"][0][2]
    assert choice_feedback.startswith("No: esa es")
    result = services.do_submit_quiz(learner, quiz, factories.right_answers(quiz))
    assert result.attempt.score == 100 and result.attempt.passed
    with pytest.raises(services.CourseError, match="agotado"):
        services.do_submit_quiz(learner, quiz, factories.right_answers(quiz))
    assert QuizAttempt.objects.count() == 2


def test_quiz_with_unknown_ids_or_missing_answers_changes_nothing(learner, course):
    services.do_enroll(learner, course)
    quiz = factories.lessons_of(course)[-1]
    answers = factories.right_answers(quiz)
    qid = next(iter(answers))
    for bad in (
        {**answers, qid: ["no-such-answer"]},
        {**answers, "no-such-question": ["x"]},
        {qid: answers[qid]},
        "not a dict",
        {**answers, qid: [{"id": 1}]},
    ):
        with pytest.raises(services.CourseError):
            services.do_submit_quiz(learner, quiz, bad)
    assert not QuizAttempt.objects.exists()


def test_single_choice_accepts_one_answer_only(learner, course):
    services.do_enroll(learner, course)
    quiz = factories.lessons_of(course)[-1]
    qid, _kind, _value, choices = quiz.quiz_questions()[0]
    answers = {**factories.right_answers(quiz), qid: [c[0] for c in choices]}
    with pytest.raises(services.CourseError, match="una sola"):
        services.do_submit_quiz(learner, quiz, answers)


def test_completion_issues_one_certificate_and_notifies(
    learner, course, mailoutbox, run_on_commit
):
    enrollment = services.do_enroll(learner, course)
    with run_on_commit():
        finish(learner, course)
    enrollment.refresh_from_db()
    assert enrollment.progress == 100 and enrollment.completed_at
    certificate = Certificate.objects.get()
    assert certificate.enrollment == enrollment
    assert certificate.hours == course.duration_hours
    assert certificate.course_title == course.title
    assert Notification.objects.filter(recipient=learner, kind="certificate").count() == 1
    assert any(certificate.code in message.body for message in mailoutbox)
    # Recording completion again issues nothing new.
    services.do_complete_lesson(learner, factories.lessons_of(course)[0])
    assert services.do_issue_certificate(enrollment) == certificate
    assert Certificate.objects.count() == 1


def test_certificate_uniqueness_is_a_database_constraint(learner, course):
    enrollment = services.do_enroll(learner, course)
    enrollment.completed_at = timezone.now()
    enrollment.save()
    Certificate.objects.create(enrollment=enrollment, learner_name="A", course_title="B", hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(enrollment=enrollment, learner_name="A", course_title="B",
                                   hours=1)


def test_issue_certificate_survives_losing_the_race(learner, course, monkeypatch):
    """The second of two simultaneous calls sees no certificate, tries to create one,
    hits the constraint and returns the winner's."""
    enrollment = services.do_enroll(learner, course)
    enrollment.completed_at = timezone.now()
    enrollment.save()
    winner = Certificate.objects.create(enrollment=enrollment, learner_name="A",
                                        course_title="B", hours=1)
    real_filter = Certificate.objects.filter
    calls = {"n": 0}

    def stale_filter(*args, **kwargs):
        calls["n"] += 1
        queryset = real_filter(*args, **kwargs)
        return queryset.none() if calls["n"] == 1 else queryset

    monkeypatch.setattr(Certificate.objects, "filter", stale_filter)
    assert services.do_issue_certificate(enrollment) == winner
    assert calls["n"] == 1  # the stale read happened: the constraint decided
    assert Certificate.objects.count() == 1


def test_revoke_needs_an_editor(learner, editor, course):
    services.do_enroll(learner, course)
    finish(learner, course)
    certificate = Certificate.objects.get()
    with pytest.raises(services.CourseError, match="permiso"):
        services.do_revoke_certificate(learner, certificate)
    services.do_revoke_certificate(editor, certificate, "Error en los datos")
    certificate.refresh_from_db()
    assert not certificate.is_valid and certificate.revoked_by == editor
    with pytest.raises(services.CourseError, match="ya está revocado"):
        services.do_revoke_certificate(editor, certificate)


def test_bulk_enrolment_preview_and_apply(editor, course, mailoutbox, run_on_commit):
    existing = people.learner(email="ana@ciudad.example")
    already = people.learner(email="ya@ciudad.example")
    services.do_enroll(already, course)
    text = (
        "correo\nana@ciudad.example\nYA@ciudad.example\nnueva@ciudad.example\n"
        "no-es-correo\nnueva@ciudad.example\n\n"
    )
    rows = services.preview_bulk_enrollment(course, services.parse_bulk_csv(text))
    assert [(row.email, row.action) for row in rows] == [
        ("ana@ciudad.example", "enrol"),
        ("ya@ciudad.example", "already"),
        ("nueva@ciudad.example", "invite"),
        ("no-es-correo", "error"),
        ("nueva@ciudad.example", "error"),
    ]
    assert rows[3].line == 5
    assert Enrollment.objects.count() == 1  # a preview writes nothing
    with run_on_commit():
        services.do_bulk_enroll(editor, course, text)
    assert Enrollment.objects.filter(user=existing, source="bulk").exists()
    invitation = course.invitations.get()
    assert invitation.email == "nueva@ciudad.example"
    assert sorted(m.to[0] for m in mailoutbox) == ["ana@ciudad.example", "nueva@ciudad.example"]
    with pytest.raises(services.CourseError, match="permiso"):
        services.do_bulk_enroll(existing, course, text)


def test_bulk_enrolment_ignores_closed_enrolment(editor, catalogue):
    closed = factories.course(catalogue, enrolment_mode=EnrolmentMode.CLOSED)
    staff = people.learner(email="staff@ciudad.example")
    services.do_bulk_enroll(editor, closed, "staff@ciudad.example\n")
    assert Enrollment.objects.filter(user=staff).exists()


def test_invitation_becomes_an_enrolment_when_the_email_is_confirmed(editor, course, rf):
    from allauth.account.models import EmailAddress
    from allauth.account.signals import email_confirmed

    services.do_bulk_enroll(editor, course, "invitada@ciudad.example\n")
    user = people.learner(email="invitada@ciudad.example", verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, verified=True,
                                          primary=True)
    email_confirmed.send(sender=EmailAddress, request=rf.get("/"), email_address=address)
    enrollment = Enrollment.objects.get(user=user)
    assert enrollment.source == "invitation"
    assert course.invitations.get().accepted_at is not None
    # Confirming again changes nothing.
    email_confirmed.send(sender=EmailAddress, request=rf.get("/"), email_address=address)
    assert Enrollment.objects.filter(user=user).count() == 1


def test_duplicating_a_course_for_a_new_edition_copies_lessons_not_learners(
    learner, course, catalogue
):
    services.do_enroll(learner, course)
    copy = course.copy(
        recursive=True, to=catalogue,
        update_attrs={"title": f"{course.title} (2027)", "slug": f"{course.slug}-2027"},
        keep_live=False,
    )
    assert copy.get_children().count() == 3
    assert copy.translation_key != course.translation_key
    assert Enrollment.objects.count() == 1
    assert not Enrollment.objects.filter(course_key=copy.translation_key).exists()
