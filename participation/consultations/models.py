"""Consultations (``/consultas/``): pages edited through the workflow, and the
participation they collect.

A consultation exists in every language's tree (alias or translation); everything
people give — responses, answers, the tally — points at its *original* page (the one
created first, never an alias), so an answer given from ``/en/`` counts in the same
consultation, and answers key on the original's question ids (``survey``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index

from allas_site.core.text import SingleLineCharField
from participation.consultations.blocks import SurveyBlock

RICH_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]


class Sector(models.TextChoices):
    LOCAL_GOVERNMENT = "local_government", _("Gobierno local")
    NATIONAL_GOVERNMENT = "national_government", _("Gobierno nacional")
    CIVIL_SOCIETY = "civil_society", _("Sociedad civil")
    ACADEMIA = "academia", _("Academia")
    PRIVATE_SECTOR = "private_sector", _("Sector privado")
    INTERNATIONAL = "international", _("Organismo internacional")


class Phase(models.TextChoices):
    INFORMATION = "information", _("Información")
    CONSULTATION = "consultation", _("Consulta abierta")
    CLOSED = "closed", _("Consulta cerrada")
    RETURN = "return", _("Devolución")


class ResultsVisibility(models.TextChoices):
    AFTER_ANSWER = "after_answer", _("A quien ha respondido, y a todo el mundo al cerrar")
    AFTER_CLOSE = "after_close", _("Solo al cerrar la consulta")


class ConsultationIndexPage(Page):
    """``/consultas/``: open consultations first, then the closed ones."""

    introduction = RichTextField(_("introducción"), blank=True,
                                 features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    template = "participation/consultations/index_page.html"
    parent_page_types = ["core.HomePage"]
    subpage_types = ["consultations.ConsultationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("índice de consultas")
        verbose_name_plural = _("índices de consultas")

    def get_context(self, request, *args, **kwargs):
        from participation.consultations.presenters import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(request, self))
        return context


class ConsultationQuerySet(PageQuerySet):
    def published(self):
        return self.live().public()


ConsultationManager = PageManager.from_queryset(ConsultationQuerySet)


class ConsultationPage(RoutablePageMixin, Page):
    owner_partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("ciudad o red que consulta"), null=True,
        on_delete=models.PROTECT, related_name="consultations",
        help_text=_("Sus personas con permiso de edición leen las respuestas individuales."),
    )
    summary = models.TextField(_("resumen"), max_length=600)
    context = RichTextField(_("contexto"), blank=True, features=RICH_FEATURES)
    information_from = models.DateField(_("fase de información desde"), null=True, blank=True)
    opens_at = models.DateTimeField(_("la consulta se abre"))
    closes_at = models.DateTimeField(_("la consulta se cierra"))
    return_expected_on = models.DateField(_("devolución prevista"), null=True, blank=True)
    results_visibility = models.CharField(
        _("resultados visibles"), max_length=20, choices=ResultsVisibility.choices,
        default=ResultsVisibility.AFTER_ANSWER,
    )
    survey = StreamField(SurveyBlock(), verbose_name=_("encuesta"), blank=True)
    return_text = RichTextField(
        _("devolución"), blank=True, features=RICH_FEATURES,
        help_text=_("Qué hará la ciudad con los resultados. Se muestra cuando publicas la "
                    "devolución desde la página de resultados."),
    )
    # Set by ``services.do_publish_return`` (on every language's copy), never by a form.
    return_published_at = models.DateTimeField(_("devolución publicada"), null=True,
                                               blank=True, editable=False)

    related_publication = models.ForeignKey(
        "publications.PublicationPage", verbose_name=_("Cuaderno relacionado"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    related_course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("curso relacionado"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    related_webinar = models.ForeignKey(
        "webinars.WebinarPage", verbose_name=_("webinar relacionado"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    related_debate = models.ForeignKey(
        "community.Debate", verbose_name=_("debate del Café relacionado"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    team = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("equipo de la consulta"), blank=True,
        related_name="consultation_teams",
        help_text=_("Además de las personas de la ciudad o red: moderan los textos y "
                    "exportan las respuestas."),
    )

    objects = ConsultationManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("owner_partner"),
        FieldPanel("summary"),
        FieldPanel("context"),
        MultiFieldPanel([
            FieldPanel("information_from"),
            FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            FieldPanel("return_expected_on"),
            FieldPanel("results_visibility"),
        ], heading=_("Fases")),
        FieldPanel("survey"),
        FieldPanel("return_text"),
        MultiFieldPanel([
            FieldPanel("related_publication"), FieldPanel("related_course"),
            FieldPanel("related_webinar"), FieldPanel("related_debate"),
        ], heading=_("Para saber más")),
        FieldPanel("team"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"),
                     index.SearchField("context")]

    template = "participation/consultations/consultation_page.html"
    parent_page_types = ["consultations.ConsultationIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("consulta")
        verbose_name_plural = _("consultas")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("El cierre debe ser posterior a la apertura.")})

    def phase(self, now=None):
        now = now or timezone.now()
        if self.return_published_at:
            return Phase.RETURN
        if now < self.opens_at:
            return Phase.INFORMATION
        if now < self.closes_at:
            return Phase.CONSULTATION
        return Phase.CLOSED

    def is_open(self, now=None):
        return self.phase(now) == Phase.CONSULTATION

    def is_closed(self, now=None):
        return self.phase(now) in (Phase.CLOSED, Phase.RETURN)

    def get_context(self, request, *args, **kwargs):
        from participation.consultations.presenters import consultation_context

        context = super().get_context(request, *args, **kwargs)
        context.update(consultation_context(request, self))
        return context

    @path("participar/", name="participate")
    def participate_view(self, request):
        from participation.consultations import views

        return views.participate(request, self)

    @path("resultados/", name="results")
    def results_view(self, request):
        from participation.consultations import views

        return views.results(request, self)

    @path("mis-respuestas/borrar/", name="delete_response")
    def delete_view(self, request):
        from participation.consultations import views

        return views.delete_response(request, self)


class Participant(models.Model):
    """Who a member is in consultations: their sector and city, stated once and
    reused by every consultation they answer."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="participant")
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    city = SingleLineCharField(_("ciudad"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("participante")
        verbose_name_plural = _("participantes")

    def __str__(self):
        return f"{self.user} ({self.get_sector_display()})"


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    SUBMITTED = "submitted", _("Enviada")


class ResponseQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=ResponseStatus.SUBMITTED)


class Response(models.Model):
    """One person's answers to one consultation (a draft until submitted).

    ``sector`` and ``city`` are copied from the participant at submission: results
    count what the person was when they answered."""

    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE,
                                     related_name="responses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="consultation_responses")
    status = models.CharField(max_length=12, choices=ResponseStatus.choices,
                              default=ResponseStatus.DRAFT)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    city = models.CharField(_("ciudad"), max_length=120, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("respuesta")
        verbose_name_plural = _("respuestas")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "user"],
                                    name="one_response_per_person_and_consultation"),
        ]
        indexes = [models.Index(fields=["consultation", "status", "sector"],
                                name="consult_resp_status_sector")]

    def __str__(self):
        return f"{self.consultation_id}/{self.user_id}"

    @property
    def is_submitted(self):
        return self.status == ResponseStatus.SUBMITTED


class TextStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    APPROVED = "approved", _("Aprobado")
    REJECTED = "rejected", _("Rechazado")


class Answer(models.Model):
    """One counted fact of a submitted response, for counting in the database: a chosen
    option (``option``), a ranked option with its ``position``, a scale value
    (``position``), or a text (moderated before it is shown).

    Rebuilt from ``Response.answers`` at every submission; drafts have none."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="rows")
    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE,
                                     related_name="+")
    question_id = models.CharField(max_length=64)
    option = models.CharField(max_length=64, blank=True)
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    text_html = models.TextField(blank=True)
    text_status = models.CharField(max_length=10, choices=TextStatus.choices, blank=True)
    sector = models.CharField(max_length=30, choices=Sector.choices)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("respuesta a una pregunta")
        verbose_name_plural = _("respuestas a preguntas")
        indexes = [
            models.Index(fields=["consultation", "question_id"], name="consult_answer_question"),
            models.Index(fields=["consultation", "text_status"], name="consult_answer_text"),
        ]

    def __str__(self):
        return f"{self.question_id}: {self.option or self.text[:40]}"


class Tally(models.Model):
    """The consultation's change number: raised by every submission, edit, deletion or
    moderation, so a results socket that reconnects knows whether it missed one. Kept
    off the page row, which every editor's save rewrites."""

    consultation = models.OneToOneField(ConsultationPage, on_delete=models.CASCADE,
                                        primary_key=True, related_name="tally")
    change_seq = models.BigIntegerField(default=0)
    last_response_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("recuento")
        verbose_name_plural = _("recuentos")

    def __str__(self):
        return f"{self.consultation_id} #{self.change_seq}"
