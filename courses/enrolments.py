"""A learner's enrolments as their pages show them, kept per learner.

The home page's and the catalogue's course cards show the learner's progress on each
course, and a course page their enrolment, certificate and completed lessons. These are
kept as one map (course translation key -> enrolment, its certificate loaded and its
completed lesson keys as ``done_keys``) in ``core.member_state``, read in the page's
first round trip to the cache instead of one or two queries per page. Any write to an
enrolment, a lesson completion or a certificate retires it. Only pages read it: lesson
pages and every write (enrolling, completing, quizzes) read the database.
"""

from operator import attrgetter

from allas_site.core import member_state

NAME = "course-enrolments"
SECONDS = 600


def _load(user):
    from courses.models import Enrollment, LessonCompletion

    enrolments = {
        enrolment.course_key: enrolment
        for enrolment in Enrollment.objects.filter(user=user).select_related("certificate")
    }
    done = {}
    for enrolment_id, lesson_key in (
        LessonCompletion.objects.filter(enrollment__user=user)
        .values_list("enrollment_id", "lesson_key")
    ):
        done.setdefault(enrolment_id, set()).add(lesson_key)
    for enrolment in enrolments.values():
        enrolment.done_keys = frozenset(done.get(enrolment.pk, ()))
    return enrolments


def of(user):
    """{course translation key: enrolment} for ``user`` (empty when signed out)."""
    if not user.is_authenticated:
        return {}
    return member_state.kept(user, NAME, lambda: _load(user), SECONDS)


def _learner_of(part):
    """The learner of a completion's or certificate's enrolment: one query, on a write.
    A certificate without one (a webinar's) names no one."""
    from courses.models import Enrollment

    if part.enrollment_id is None:
        return None
    return (Enrollment.objects.filter(pk=part.enrollment_id)
            .values_list("user_id", flat=True).first())


def connect():
    from courses.models import Certificate, Enrollment, LessonCompletion

    member_state.keep(NAME, retired_by=[
        (Enrollment, attrgetter("user_id")),
        (LessonCompletion, _learner_of),
        (Certificate, _learner_of),
    ])
