"""Courses and lessons (Wagtail pages), enrolments, progress, quiz attempts, certificates.

Learner records point at a course or lesson by its Wagtail ``translation_key``
(``course_key``, ``lesson_key``) as well as by the page itself: a learner enrolled on
the Spanish course keeps their progress when they read it in English.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index

from allas_site.core.text import SingleLineCharField
from courses.blocks import FALSE_ID, TRUE_ID, LessonStreamBlock, QuizBlock


class Level(models.TextChoices):
    INTRO = "intro", _("Introductorio")
    INTERMEDIATE = "intermediate", _("Intermedio")
    ADVANCED = "advanced", _("Avanzado")


class CourseFormat(models.TextChoices):
    SELF_PACED = "self_paced", _("A tu ritmo")
    SCHEDULED = "scheduled", _("Con fechas")


class EnrolmentMode(models.TextChoices):
    OPEN = "open", _("Abierta")
    CLOSED = "closed", _("Cerrada")
    WINDOW = "window", _("Entre dos fechas")


# Buckets for the duration filter of the catalogue: (key, label, min hours, max hours).
DURATION_BUCKETS = [
    ("corto", _("Menos de 5 horas"), 0, 4),
    ("medio", _("De 5 a 20 horas"), 5, 20),
    ("largo", _("Más de 20 horas"), 21, None),
]


class CourseIndexPage(Page):
    """The catalogue at /cursos/: every published course with filters."""

    introduction = RichTextField(_("introducción"), blank=True,
                                 features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    # Anonymous visitors see no enrolment state: the same catalogue for all of them,
    # retired by publishing (see allas_site.core.page_cache).
    cache_for_anonymous = True
    template = "pages/course_index_page.html"
    parent_page_types = ["core.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("catálogo de cursos")
        verbose_name_plural = _("catálogos de cursos")

    def get_context(self, request, *args, **kwargs):
        from courses import views

        context = super().get_context(request, *args, **kwargs)
        context.update(views.catalogue_context(request, self))
        return context


class CourseQuerySet(PageQuerySet):
    def catalogue(self, locale, request=None):
        """The public courses of ``locale``'s tree: those translated into it first, then
        the untranslated ones (aliases), each with the language of its content. With the
        ``request``, no query is spent on restrictions while none exists."""
        from allas_site.core import view_restrictions
        from allas_site.core.page_tree import with_content_language

        courses = view_restrictions.public(self.live().filter(locale=locale), request)
        return (
            with_content_language(courses)
            .select_related("cover")
            .prefetch_related("topics")
            .order_by("untranslated", "-first_published_at", "pk")
        )


CourseManager = PageManager.from_queryset(CourseQuerySet)


class CoursePage(RoutablePageMixin, Page):
    summary = models.TextField(_("resumen"), max_length=500)
    cover = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("portada"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    objectives = RichTextField(_("objetivos"), blank=True, features=["bold", "italic", "ul", "ol"])
    description = StreamField(LessonStreamBlock(), verbose_name=_("presentación"), blank=True)
    topics = ParentalManyToManyField("topics.Topic", verbose_name=_("temas"), blank=True)
    level = models.CharField(_("nivel"), max_length=20, choices=Level.choices,
                             default=Level.INTRO)
    language = models.CharField(_("idioma del curso"), max_length=8,
                                choices=settings.LANGUAGES, default="es")
    course_format = models.CharField(_("formato"), max_length=20, choices=CourseFormat.choices,
                                     default=CourseFormat.SELF_PACED)
    duration_hours = models.PositiveSmallIntegerField(
        _("duración (horas)"), default=10, help_text=_("Figura en el certificado.")
    )
    starts_on = models.DateField(_("inicio del curso"), null=True, blank=True)
    ends_on = models.DateField(_("fin del curso"), null=True, blank=True)
    enrolment_mode = models.CharField(_("inscripción"), max_length=20,
                                      choices=EnrolmentMode.choices, default=EnrolmentMode.OPEN)
    enrolment_opens = models.DateField(_("se abre la inscripción"), null=True, blank=True)
    enrolment_closes = models.DateField(_("se cierra la inscripción"), null=True, blank=True)
    instructors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("docentes"), blank=True,
        related_name="courses_taught",
    )
    prerequisites = ParentalManyToManyField(
        "self", verbose_name=_("cursos previos requeridos"), blank=True, symmetrical=False,
        related_name="required_by",
    )
    certificate_rules = models.TextField(
        _("reglas del certificado"), blank=True, max_length=600,
        # Content, not UI: editors translate it with the page.
        default="Completa todas las lecciones obligatorias y aprueba sus cuestionarios.",
    )

    objects = CourseManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover"),
        FieldPanel("objectives"),
        FieldPanel("description"),
        MultiFieldPanel([
            FieldPanel("topics"),
            FieldRowPanel([FieldPanel("level"), FieldPanel("language")]),
            FieldRowPanel([FieldPanel("course_format"), FieldPanel("duration_hours")]),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        ], heading=_("Ficha del curso")),
        MultiFieldPanel([
            FieldPanel("enrolment_mode"),
            FieldRowPanel([FieldPanel("enrolment_opens"), FieldPanel("enrolment_closes")]),
            FieldPanel("prerequisites"),
        ], heading=_("Inscripción")),
        FieldPanel("instructors"),
        FieldPanel("certificate_rules"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"),
                     index.SearchField("objectives")]

    # Anonymous visitors get a "log in to enrol" link, not the enrolment form (no CSRF
    # cookie): one page for all of them. The Café block on the page has its own version.
    cache_for_anonymous = True
    page_cache_sections = ("cafe-pages",)
    template = "pages/course_page.html"
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("curso")
        verbose_name_plural = _("cursos")

    @cached_property
    def lessons(self):
        """The live lessons in the editor's order, one query."""
        return list(
            LessonPage.objects.live().child_of(self).order_by("path")
            .defer_streamfields()
        )

    @property
    def required_lessons(self):
        return [lesson for lesson in self.lessons if lesson.required]

    def enrolment_is_open(self, today=None):
        today = today or timezone.localdate()
        if self.enrolment_mode == EnrolmentMode.CLOSED:
            return False
        if self.enrolment_mode == EnrolmentMode.WINDOW:
            if self.enrolment_opens and today < self.enrolment_opens:
                return False
            if self.enrolment_closes and today > self.enrolment_closes:
                return False
        return True

    @property
    def duration_bucket(self):
        for key, _label, low, high in DURATION_BUCKETS:
            if self.duration_hours >= low and (high is None or self.duration_hours <= high):
                return key
        return ""

    @path("inscribirse/", name="enrol")
    def enrol_view(self, request):
        from courses import views

        return views.enrol(request, self)

    def get_context(self, request, *args, **kwargs):
        from courses import views

        context = super().get_context(request, *args, **kwargs)
        context.update(views.course_context(request, self))
        return context


class LessonPage(RoutablePageMixin, Page):
    summary = models.TextField(_("resumen"), max_length=400, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duración (minutos)"), default=30)
    required = models.BooleanField(
        _("obligatoria"), default=True, help_text=_("Cuenta para el progreso y el certificado.")
    )
    free_preview = models.BooleanField(
        _("vista previa libre"), default=False,
        help_text=_("Cualquier persona puede abrirla sin inscribirse."),
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("contenido"), blank=True)
    quiz = StreamField(QuizBlock(), verbose_name=_("cuestionario"), blank=True,
                       help_text=_("Si tiene preguntas, la lección se completa al aprobarlo."))
    pass_mark = models.PositiveSmallIntegerField(
        _("nota para aprobar (%)"), default=70,
        help_text=_("Porcentaje de preguntas correctas necesario."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("intentos permitidos"), default=3, help_text=_("0 = sin límite.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("required"),
                       FieldPanel("free_preview")]),
        FieldPanel("body"),
        MultiFieldPanel([
            FieldPanel("quiz"),
            FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("max_attempts")]),
        ], heading=_("Cuestionario")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    template = "pages/lesson_page.html"
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lección")
        verbose_name_plural = _("lecciones")

    @property
    def has_quiz(self):
        return len(self.quiz) > 0

    def quiz_questions(self):
        """``[(question_id, kind, value, [(answer_id, text, correct, feedback)])]``."""
        questions = []
        for child in self.quiz:
            if child.block_type == "true_false":
                value = child.value
                answers = [
                    (TRUE_ID, _("Verdadero"), bool(value["correct"]), value["feedback_true"]),
                    (FALSE_ID, _("Falso"), not value["correct"], value["feedback_false"]),
                ]
                kind = "single"
            else:
                answers = [
                    (item.id, item.value["text"], bool(item.value["correct"]),
                     item.value["feedback"])
                    for item in child.value["answers"].bound_blocks
                ]
                kind = "multiple" if child.value["multiple"] else "single"
            questions.append((child.id, kind, child.value, answers))
        return questions

    def get_course(self):
        """The course above this lesson, by tree path in one query; ``None`` while the
        lesson has no place in the tree."""
        if not self.path or len(self.path) <= self.steplen:
            return None
        return CoursePage.objects.get(path=self.path[: -self.steplen])

    def get_context(self, request, *args, course=None, enrollment=None, **kwargs):
        """A view that has already read the course and the learner's enrolment passes
        both, so they are not read again."""
        from courses import services, views

        context = super().get_context(request, *args, **kwargs)
        if course is None:
            # Also for the editor's preview of a lesson being created (a path, no pk).
            course = self.get_course()
            enrollment = services.get_enrollment(request.user, course) if course else None
        if course is not None:
            context.update(views.lesson_context(request, self, course, enrollment))
        return context

    @path("completar/", name="complete")
    def complete_view(self, request):
        from courses import views

        return views.complete_lesson(request, self)

    @path("cuestionario/", name="quiz")
    def quiz_view(self, request):
        from courses import views

        return views.submit_quiz(request, self)

    @path("", name="lesson")
    def lesson_view(self, request):
        from courses import views

        return views.lesson(request, self)


class EnrollmentQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def for_course(self, course):
        return self.filter(course_key=course.translation_key)


class Enrollment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Por su cuenta")
        BULK = "bulk", _("Inscripción masiva")
        INVITATION = "invitation", _("Invitación")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="enrollments", verbose_name=_("persona"))
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE,
                               related_name="enrollments", verbose_name=_("curso"))
    course_key = models.UUIDField(_("clave del curso"), editable=False, db_index=True)
    source = models.CharField(_("origen"), max_length=20, choices=Source.choices,
                              default=Source.SELF)
    created_at = models.DateTimeField(_("inscripción"), default=timezone.now, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progreso (%)"), default=0)
    completed_at = models.DateTimeField(_("completado"), null=True, blank=True, db_index=True)
    last_lesson = models.ForeignKey(LessonPage, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+")

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("inscripción")
        verbose_name_plural = _("inscripciones")
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"],
                                    name="unique_enrollment_per_course"),
        ]

    def __str__(self):
        return f"{self.user} · {self.course}"

    def save(self, *args, **kwargs):
        if self.course_key is None and self.course_id:
            self.course_key = self.course.translation_key
        super().save(*args, **kwargs)

    @property
    def is_completed(self):
        return self.completed_at is not None


class LessonCompletion(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE,
                                   related_name="completions")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="completions")
    lesson_key = models.UUIDField(editable=False)
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["completed_at", "pk"]
        verbose_name = _("lección completada")
        verbose_name_plural = _("lecciones completadas")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson_key"],
                                    name="unique_completion_per_lesson"),
        ]

    def __str__(self):
        return f"{self.enrollment_id} · {self.lesson_key}"


class QuizAttempt(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE,
                                   related_name="quiz_attempts")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="quiz_attempts")
    lesson_key = models.UUIDField(editable=False)
    number = models.PositiveSmallIntegerField(_("intento nº"))
    answers = models.JSONField(_("respuestas"), default=dict)
    results = models.JSONField(_("aciertos por pregunta"), default=dict)
    score = models.PositiveSmallIntegerField(_("puntuación (%)"))
    passed = models.BooleanField(_("aprobado"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("intento de cuestionario")
        verbose_name_plural = _("intentos de cuestionario")
        # Two submissions at once cannot both be attempt N: the retake limit holds.
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson_key", "number"],
                                    name="unique_quiz_attempt_number"),
        ]

    def __str__(self):
        return f"{self.enrollment_id} · {self.number} · {self.score} %"


def new_certificate_code():
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"AL-{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)


class CertificateKind(models.TextChoices):
    COURSE = "course", _("Curso completado")
    # A webinar or workshop attended (webinars.ParticipationCertificate links it to the
    # registration); verified on the same page and drawn by the same PDF code.
    PARTICIPATION = "participation", _("Participación en un evento")


class Certificate(models.Model):
    # One per enrolment, enforced by the database: completion recorded twice at the
    # same moment still issues a single certificate. A certificate outlives its holder's
    # account (SET_NULL): it keeps verifying as issued, with the name it was issued to.
    enrollment = models.OneToOneField(Enrollment, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="certificate",
                                      verbose_name=_("inscripción"))
    code = models.CharField(_("código"), max_length=20, unique=True,
                            default=new_certificate_code, editable=False)
    learner_name = SingleLineCharField(_("nombre"), max_length=160)
    # The course's title, or the event's for a participation certificate.
    course_title = SingleLineCharField(_("curso"), max_length=255)
    kind = models.CharField(_("tipo"), max_length=20, choices=CertificateKind.choices,
                            default=CertificateKind.COURSE)
    hours = models.PositiveSmallIntegerField(_("horas"), null=True, blank=True)
    held_on = models.DateField(_("fecha del evento"), null=True, blank=True)
    issued_at = models.DateTimeField(_("emitido"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revocado"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    revocation_reason = models.CharField(_("motivo de la revocación"), max_length=300,
                                         blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("certificado")
        verbose_name_plural = _("certificados")

    def __str__(self):
        return f"{self.code} · {self.learner_name}"

    def get_absolute_url(self):
        from allas_site.core.navigation import localized_path

        return localized_path(f"/certificados/{self.code}/")

    @property
    def issued_on(self):
        """The date the certificate states, on its web page and on its PDF alike: the
        day in the site's zone (settings.TIME_ZONE), whatever zone is active, so a
        certificate issued at 03:00 UTC reads the same date everywhere."""
        return timezone.localdate(self.issued_at, timezone.get_default_timezone())

    @property
    def is_valid(self):
        return self.revoked_at is None

    @property
    def is_participation(self):
        return self.kind == CertificateKind.PARTICIPATION

    @property
    def holder_id(self):
        """The person the certificate belongs to: the enrolment's learner, or the
        attendee of a participation certificate (webinars' link row, reached by its
        reverse name so that courses need not import webinars)."""
        if self.enrollment_id:
            return self.enrollment.user_id
        link = getattr(self, "participation", None)
        return link.user_id if link is not None else None


class Invitation(models.Model):
    """An e-mail from a bulk enrolment that has no account yet; it turns into an
    enrolment when that address is confirmed."""

    email = models.EmailField(_("correo electrónico"))
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="invitations",
                               verbose_name=_("curso"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitación")
        verbose_name_plural = _("invitaciones")
        constraints = [
            models.UniqueConstraint(fields=["email", "course"], name="unique_invitation"),
        ]

    def __str__(self):
        return self.email

    @classmethod
    def pending_for(cls, email):
        return cls.objects.filter(Q(email__iexact=email), accepted_at__isnull=True)
