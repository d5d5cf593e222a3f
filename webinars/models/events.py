"""The Agenda (``WebinarIndexPage``), its events (``WebinarPage``) and their series.

Times are stored in UTC; the admin shows them in the editor's zone (Wagtail's
time-zone preference) and the public pages in the visitor's. An event exists in every
language's tree (alias or translation); registrations point at the event by its
``translation_key`` so a place taken from ``/en/`` is a place in the same event.
"""

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet, TranslatableMixin
from wagtail.search import index

from allas_site.core.text import SingleLineCharField
from webinars.blocks import ChaptersBlock, WebinarStreamBlock


class WebinarFormat(models.TextChoices):
    WEBINAR = "webinar", _("Webinar")
    WORKSHOP = "taller", _("Taller")
    IN_PERSON = "presencial", _("Presencial")
    HYBRID = "hibrido", _("Híbrido")


class WebinarStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Programado")
    CANCELLED = "cancelled", _("Cancelado")


class LanguageListField(models.CharField):
    """Several language codes in one column, stored as ``",es,en,"``.

    Portable filtering (``languages__contains=",en,"``) on SQLite and PostgreSQL alike,
    where a JSON list would need database-specific lookups. The value in Python is a
    list of codes; the admin shows check boxes.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    @staticmethod
    def as_list(value):
        if value is None:
            return []
        if isinstance(value, list | tuple):
            return [code for code in value if code]
        return [code for code in str(value).split(",") if code]

    def from_db_value(self, value, expression, connection):
        return self.as_list(value)

    def to_python(self, value):
        return self.as_list(value)

    def get_prep_value(self, value):
        if isinstance(value, str):
            return value  # already stored form, or a lookup such as ",en,"
        codes = self.as_list(value)
        return f",{','.join(codes)}," if codes else ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=settings.LANGUAGES,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )


class WebinarSeries(TranslatableMixin, models.Model):
    """A cycle of events (a snippet, translated the Wagtail way)."""

    name = SingleLineCharField(_("nombre"), max_length=160)
    slug = models.SlugField(_("identificador"), max_length=80,
                            help_text=_("El mismo en todos los idiomas."))
    description = models.TextField(_("descripción"), blank=True, max_length=800)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("ciclo de webinars")
        verbose_name_plural = _("ciclos de webinars")
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"],
                                    name="unique_webinar_series_slug_per_locale"),
        ]

    def __str__(self):
        return self.name


class WebinarIndexPage(Page):
    """``/webinars/``: the Agenda, upcoming events first, then the archive."""

    introduction = RichTextField(_("introducción"), blank=True,
                                 features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    # Anonymous visitors see no registration state: one page for all of them, retired
    # by publishing; short-lived because "upcoming" turns into "past" with the clock.
    cache_for_anonymous = True
    page_cache_seconds = 120
    template = "webinars/webinar_index_page.html"
    parent_page_types = ["core.HomePage"]
    subpage_types = ["webinars.WebinarPage"]
    max_count_per_parent = 1
    page_size = 20

    class Meta:
        verbose_name = _("agenda de webinars")
        verbose_name_plural = _("agendas de webinars")

    def get_context(self, request, *args, **kwargs):
        from webinars.presenters import agenda_context

        context = super().get_context(request, *args, **kwargs)
        context.update(agenda_context(request, self))
        return context


class WebinarQuerySet(PageQuerySet):
    def published(self):
        return self.live().public()

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())

    def scheduled(self):
        return self.filter(status=WebinarStatus.SCHEDULED)


WebinarManager = PageManager.from_queryset(WebinarQuerySet)


class WebinarPage(RoutablePageMixin, Page):
    summary = models.TextField(_("resumen"), max_length=600)
    body = StreamField(WebinarStreamBlock(), verbose_name=_("contenido"), blank=True)
    format = models.CharField(_("formato"), max_length=20, choices=WebinarFormat.choices,
                              default=WebinarFormat.WEBINAR, db_index=True)
    status = models.CharField(_("estado"), max_length=20, choices=WebinarStatus.choices,
                              default=WebinarStatus.SCHEDULED)
    starts_at = models.DateTimeField(_("empieza"), db_index=True)
    ends_at = models.DateTimeField(_("termina"), db_index=True)
    languages = LanguageListField(_("idiomas"))
    interpretation_note = SingleLineCharField(
        _("interpretación"), max_length=200, blank=True,
        help_text=_("Por ejemplo: interpretación simultánea español-francés."),
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("moderación"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="webinars_moderated",
    )
    topics = ParentalManyToManyField("topics.Topic", verbose_name=_("temas"), blank=True,
                                     related_name="webinars")
    series = models.ForeignKey(
        WebinarSeries, verbose_name=_("ciclo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="webinars",
    )

    capacity = models.PositiveIntegerField(
        _("plazas"), null=True, blank=True, help_text=_("En blanco: sin límite.")
    )
    registration_opens_at = models.DateTimeField(
        _("se abre la inscripción"), null=True, blank=True,
        help_text=_("En blanco: abierta desde la publicación."),
    )
    registration_closes_at = models.DateTimeField(
        _("se cierra la inscripción"), null=True, blank=True,
        help_text=_("En blanco: hasta el final del evento."),
    )
    ask_organisation = models.BooleanField(_("preguntar la organización"), default=False)
    ask_city = models.BooleanField(_("preguntar la ciudad"), default=False)
    ask_accessibility = models.BooleanField(
        _("preguntar por necesidades de accesibilidad"), default=False
    )

    venue_city = SingleLineCharField(_("ciudad"), max_length=120, blank=True)
    venue_address = SingleLineCharField(_("dirección"), max_length=300, blank=True)
    venue_map_url = models.URLField(_("enlace al mapa"), blank=True)
    join_url = models.URLField(
        _("enlace para conectarse"), blank=True, max_length=500,
        help_text=_("Solo lo ven las personas inscritas, desde 30 minutos antes."),
    )
    stream_embed_url = models.URLField(
        _("emisión incrustada"), blank=True, max_length=500,
        help_text=_("Dirección de la emisión que se muestra en la sala en directo."),
    )

    related_publication = models.ForeignKey(
        "publications.PublicationPage", verbose_name=_("Cuaderno relacionado"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    related_course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("curso relacionado"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    related_debate = models.ForeignKey(
        "community.Debate", verbose_name=_("debate del Café relacionado"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    recording_embed_url = models.URLField(_("grabación incrustada"), blank=True,
                                          max_length=500)
    chapters = StreamField(ChaptersBlock(), verbose_name=_("capítulos"), blank=True)

    # Raised whenever the time or the status changes: calendar clients replace an
    # event only when SEQUENCE grows (RFC 5545).
    sequence = models.PositiveIntegerField(_("versión del calendario"), default=0,
                                           editable=False)

    objects = WebinarManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("format"), FieldPanel("status")]),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            FieldPanel("languages"),
            FieldPanel("interpretation_note"),
            FieldPanel("series"),
            FieldPanel("topics"),
        ], heading=_("Cuándo y cómo")),
        FieldPanel("body"),
        InlinePanel("speakers", heading=_("Ponentes"), label=_("Ponente")),
        FieldPanel("moderator"),
        MultiFieldPanel([
            FieldPanel("capacity"),
            FieldRowPanel([FieldPanel("registration_opens_at"),
                           FieldPanel("registration_closes_at")]),
            FieldRowPanel([FieldPanel("ask_organisation"), FieldPanel("ask_city"),
                           FieldPanel("ask_accessibility")]),
        ], heading=_("Inscripción")),
        MultiFieldPanel([
            FieldPanel("venue_city"), FieldPanel("venue_address"), FieldPanel("venue_map_url"),
        ], heading=_("Lugar (presencial o híbrido)")),
        MultiFieldPanel([
            FieldPanel("join_url"), FieldPanel("stream_embed_url"),
        ], heading=_("En línea")),
        MultiFieldPanel([
            FieldPanel("related_publication"), FieldPanel("related_course"),
            FieldPanel("related_debate"),
        ], heading=_("Para seguir")),
        InlinePanel("documents", heading=_("Presentaciones y documentos"),
                    label=_("Documento")),
        MultiFieldPanel([
            FieldPanel("recording_embed_url"), FieldPanel("chapters"),
        ], heading=_("Después del evento")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"),
                     index.SearchField("body")]

    # Anonymous visitors get "log in to register", never the form or the joining
    # link; the places left change with registrations, so copies live a minute.
    cache_for_anonymous = True
    page_cache_seconds = 60
    template = "webinars/webinar_page.html"
    parent_page_types = ["webinars.WebinarIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("webinar o evento")
        verbose_name_plural = _("webinars y eventos")

    @property
    def is_cancelled(self):
        return self.status == WebinarStatus.CANCELLED

    @property
    def is_online(self):
        return self.format in (WebinarFormat.WEBINAR, WebinarFormat.WORKSHOP,
                               WebinarFormat.HYBRID)

    @property
    def has_venue(self):
        return self.format in (WebinarFormat.IN_PERSON, WebinarFormat.HYBRID) or bool(
            self.venue_city
        )

    @property
    def venue_label(self):
        return ", ".join(part for part in (self.venue_address, self.venue_city) if part)

    def is_past(self, now=None):
        return self.ends_at < (now or timezone.now())

    def is_live(self, now=None):
        now = now or timezone.now()
        return self.starts_at <= now <= self.ends_at

    @property
    def has_recording(self):
        return bool(self.recording_embed_url)

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("El final debe ser posterior al comienzo.")
        if (self.registration_opens_at and self.registration_closes_at
                and self.registration_closes_at <= self.registration_opens_at):
            errors["registration_closes_at"] = _(
                "El cierre de la inscripción debe ser posterior a su apertura."
            )
        if errors:
            raise ValidationError(errors)

    @path("inscripcion/", name="register")
    def register_view(self, request):
        from webinars import views

        return views.register(request, self)

    @path("cancelar/", name="cancel")
    def cancel_view(self, request):
        from webinars import views

        return views.cancel(request, self)

    @path("calendario/", name="ics")
    def ics_view(self, request):
        from webinars import views

        return views.event_ics(request, self)

    @path("sala/", name="room")
    def room_view(self, request):
        from webinars import room_views

        return room_views.room(request, self)

    @path("certificado/", name="certificate")
    def certificate_view(self, request):
        from webinars import archive_views

        return archive_views.certificate(request, self)

    def get_context(self, request, *args, **kwargs):
        from webinars.presenters import webinar_context

        context = super().get_context(request, *args, **kwargs)
        context.update(webinar_context(request, self))
        return context


class WebinarSpeaker(Orderable):
    """A speaker: a member of the platform (linked profile) or a free name."""

    page = ParentalKey(WebinarPage, on_delete=models.CASCADE, related_name="speakers")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("miembro"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    name = SingleLineCharField(_("nombre"), max_length=160, blank=True,
                               help_text=_("Si no es miembro de la plataforma."))
    organisation = SingleLineCharField(_("organización"), max_length=200, blank=True)
    role = SingleLineCharField(_("papel"), max_length=120, blank=True,
                               help_text=_("Por ejemplo: ponente, comentarista."))

    panels = [FieldPanel("member"), FieldPanel("name"), FieldPanel("organisation"),
              FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("ponente")
        verbose_name_plural = _("ponentes")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        if self.name:
            return self.name
        return self.member.public_name if self.member_id else ""

    @property
    def display_organisation(self):
        if self.organisation:
            return self.organisation
        return self.member.organisation if self.member_id else ""

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.member_id and not self.name:
            raise ValidationError(_("Elige un miembro o escribe un nombre."))


class WebinarDocument(Orderable):
    page = ParentalKey(WebinarPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey("wagtaildocs.Document", verbose_name=_("documento"),
                                 on_delete=models.CASCADE, related_name="+")
    title = SingleLineCharField(_("título"), max_length=200, blank=True,
                                help_text=_("En blanco: el del documento."))

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("documento")
        verbose_name_plural = _("documentos")

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return self.title or self.document.title


