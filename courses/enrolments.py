"""A learner's enrolments as their pages show them, kept per learner.

The home page's and the catalogue's course cards show the learner's progress on each
course, and a course page their enrolment, certificate and completed lessons. These are
kept as one map (course translation key -> enrolment, its certificate loaded and its
completed lesson keys as ``done_keys``) in ``core.member_state``, read in the page's
first round trip to the cache instead of one or two queries per page. Any write to an
enrolment, a lesson completion or a certificate retires it. Only pages read it: lesson
pages and every write (enrolling, completing, quizzes) read the database.
"""

from django.db.models.signals import post_delete, post_save

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


def forget(user_pk):
    if user_pk is not None:
        member_state.forget(user_pk, NAME)


def _enrolment_changed(sender, instance, **kwargs):
    forget(instance.user_id)


def _part_changed(sender, instance, **kwargs):
    from courses.models import Enrollment

    # A completion or certificate names its enrolment; the learner is one query away
    # (a write, not a page view). A certificate without one (a webinar's) needs nothing.
    if instance.enrollment_id is not None:
        forget(Enrollment.objects.filter(pk=instance.enrollment_id)
               .values_list("user_id", flat=True).first())


def connect():
    from courses.models import Certificate, Enrollment, LessonCompletion

    member_state.keep(NAME)
    for signal in (post_save, post_delete):
        created = signal is post_save
        signal.connect(_enrolment_changed, sender=Enrollment,
                       dispatch_uid=f"course-enrolments-{created}")
        for model in (LessonCompletion, Certificate):
            signal.connect(_part_changed, sender=model,
                           dispatch_uid=f"course-enrolments-{model.__name__}-{created}")
