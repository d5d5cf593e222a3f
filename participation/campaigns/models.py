"""Advocacy campaigns (``/campanas/``): a position statement that cities, networks and
organisations sign on to.

A campaign exists in every language's tree (translation or alias); signatures, the
tally and the updates belong to the campaign's *original* page (the first created with
its translation key), so a signature collected under ``/en/`` counts in Spanish too.

A signature's life: ``pending`` (waiting for the signer to open the link in the
confirmation e-mail) → ``confirmed`` (waiting for an editor) → ``approved`` (public) or
``rejected``. Withdrawing deletes the row: nothing of the signer is kept.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from allas_site.core.text import SingleLineCharField

STATEMENT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class CampaignIndexPage(Page):
    """``/campanas/``: open campaigns first, then closed ones."""

    introduction = RichTextField(_("introducción"), blank=True,
                                 features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    template = "campaigns/campaign_index_page.html"
    parent_page_types = ["core.HomePage"]
    subpage_types = ["campaigns.CampaignPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("índice de campañas")
        verbose_name_plural = _("índices de campañas")

    def get_context(self, request, *args, **kwargs):
        from participation.campaigns.presenters import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(request, self))
        return context


class CampaignPage(RoutablePageMixin, Page):
    """One campaign: the position, the sign-on form, the signatories and the updates."""

    summary = models.TextField(_("resumen"), max_length=600,
                               help_text=_("Una o dos frases: qué se pide y a quién."))
    statement = RichTextField(_("posicionamiento"), features=STATEMENT_FEATURES)
    opens_at = models.DateTimeField(_("se abre"), default=timezone.now)
    closes_at = models.DateTimeField(_("se cierra"), null=True, blank=True,
                                     help_text=_("En blanco: abierta sin fecha de cierre."))
    related_publication = models.ForeignKey(
        "publications.PublicationPage", verbose_name=_("Cuaderno relacionado"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    related_webinar = models.ForeignKey(
        "webinars.WebinarPage", verbose_name=_("webinar relacionado"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("statement"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")],
                      heading=_("Periodo de firma")),
        MultiFieldPanel([
            PageChooserPanel("related_publication", "publications.PublicationPage"),
            PageChooserPanel("related_webinar", "webinars.WebinarPage"),
        ], heading=_("Para saber más")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"),
                     index.SearchField("statement")]

    template = "campaigns/campaign_page.html"
    parent_page_types = ["campaigns.CampaignIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("campaña")
        verbose_name_plural = _("campañas")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("El cierre debe ser posterior a la apertura.")})

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now and (self.closes_at is None or now < self.closes_at)

    def has_closed(self, now=None):
        return self.closes_at is not None and (now or timezone.now()) >= self.closes_at

    def get_context(self, request, *args, **kwargs):
        from participation.campaigns.presenters import campaign_context

        context = super().get_context(request, *args, **kwargs)
        context.update(campaign_context(request, self))
        return context

    @path("firmar/", name="sign")
    def sign_view(self, request):
        from participation.campaigns import views

        return views.sign(request, self)

    @path("firmantes/", name="signatories")
    def signatories_view(self, request):
        from participation.campaigns import views

        return views.signatories(request, self)

    # The signed token travels in the query string (``?clave=``): it holds colons,
    # which Wagtail's page paths do not accept.
    @path("confirmar/", name="confirm")
    def confirm_view(self, request):
        from participation.campaigns import views

        return views.confirm(request, self, request.GET.get("clave", ""))

    @path("retirar/", name="withdraw")
    def withdraw_view(self, request):
        from participation.campaigns import views

        return views.withdraw(request, self, request.GET.get("clave", ""))


class SignatoryType(models.TextChoices):
    LOCAL_GOVERNMENT = "local_government", _("Ciudad o gobierno local")
    NETWORK = "network", _("Red de ciudades o de gobiernos locales")
    CIVIL_SOCIETY = "civil_society", _("Organización de la sociedad civil")
    ACADEMIA = "academia", _("Universidad o centro de investigación")
    OTHER = "other", _("Otra")


class SignatureStatus(models.TextChoices):
    PENDING = "pending", _("Falta confirmar el correo")
    CONFIRMED = "confirmed", _("Pendiente de aprobación")
    APPROVED = "approved", _("Aprobada")
    REJECTED = "rejected", _("Rechazada")


class SignatureQuerySet(models.QuerySet):
    def for_campaign(self, campaign):
        return self.filter(campaign_id=campaign.pk)

    def approved(self):
        return self.filter(status=SignatureStatus.APPROVED)


class Signature(models.Model):
    """An organisation's signature of a campaign. The e-mail is for the signer's
    confirmation and the campaign's news; it is never shown publicly."""

    campaign = models.ForeignKey(CampaignPage, verbose_name=_("campaña"),
                                 on_delete=models.CASCADE, related_name="signatures")
    organisation = SingleLineCharField(_("organización"), max_length=200)
    signatory_type = models.CharField(_("tipo"), max_length=20, choices=SignatoryType.choices)
    city = SingleLineCharField(_("ciudad"), max_length=120)
    country = CountryField(_("país"))
    representative_name = SingleLineCharField(_("nombre de la persona representante"),
                                              max_length=160)
    representative_role = SingleLineCharField(_("cargo"), max_length=160)
    email = models.EmailField(_("correo electrónico"), max_length=254)
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("socio de la red"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Para situarla en el mapa de la red."),
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("miembro"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("estado"), max_length=12, choices=SignatureStatus.choices,
                              default=SignatureStatus.PENDING, db_index=True)
    # Random, per signature: signed links (confirmation, withdrawal) carry it, so a new
    # token retires the old links.
    token = models.CharField(_("clave de confirmación"), max_length=43, editable=False)
    language = models.CharField(_("idioma"), max_length=8, default="es")
    # The campaign's change number when this signature became public (see CampaignTally).
    seq = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("firmada"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmada"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("revisada"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("revisada por"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("firma")
        verbose_name_plural = _("firmas")
        constraints = [
            models.UniqueConstraint(Lower("email"), "campaign",
                                    name="unique_signature_email_per_campaign"),
            # One organisation signs once: the same name in another country is another one.
            models.UniqueConstraint(Lower("organisation"), "country", "campaign",
                                    name="unique_signature_organisation_per_campaign"),
        ]
        indexes = [models.Index(fields=["campaign", "status", "seq"],
                                name="campaign_signature_public")]

    def __str__(self):
        return self.organisation

    @property
    def is_approved(self):
        return self.status == SignatureStatus.APPROVED


class CampaignTally(models.Model):
    """The campaign's public count and change number, one row per campaign.

    Approvals and withdrawals lock this row, so the count is exact under concurrency and
    ``last_seq`` only grows: it numbers the public changes for the live counter's
    catch-up (a client resumes from the last number it saw)."""

    campaign = models.OneToOneField(CampaignPage, on_delete=models.CASCADE,
                                    related_name="tally", primary_key=True)
    approved_count = models.PositiveIntegerField(default=0)
    last_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("recuento de firmas")
        verbose_name_plural = _("recuentos de firmas")

    def __str__(self):
        return f"{self.campaign_id}: {self.approved_count}"


class CampaignUpdate(models.Model):
    """News the editors post on a campaign; approved signatories receive it by e-mail
    and members among them as a notification."""

    # A plain foreign key, not a ParentalKey: updates are not part of the page's
    # revisions (publishing an older revision must not take news back).
    campaign = models.ForeignKey(CampaignPage, on_delete=models.CASCADE,
                                 related_name="updates")
    title = SingleLineCharField(_("título"), max_length=200)
    body = models.TextField(_("texto"), max_length=5000)
    language = models.CharField(_("idioma"), max_length=8, default="es")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("autoría"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("publicada"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("destinatarios"), default=0)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("novedad de campaña")
        verbose_name_plural = _("novedades de campaña")

    def __str__(self):
        return self.title
