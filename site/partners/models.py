from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Locale, TranslatableMixin
from wagtail.search import index

LOGO_FILTER = "max-160x80|format-webp"


class PartnerQuerySet(models.QuerySet):
    def in_locale(self, locale=None):
        return self.filter(locale=locale or Locale.get_active())

    def for_listing(self):
        from wagtail.images.models import Rendition

        return self.select_related("logo", "locale").prefetch_related(
            models.Prefetch(
                "logo__renditions",
                queryset=Rendition.objects.filter(filter_spec=LOGO_FILTER),
            )
        )


class Partner(TranslatableMixin, index.Indexed, ClusterableModel):
    """A city, local government or network of the alliance (a translatable snippet)."""

    class PartnerType(models.TextChoices):
        CITY = "city", _("Ciudad")
        LOCAL_GOVERNMENT = "local_government", _("Gobierno local")
        NETWORK = "network", _("Red de ciudades")
        INSTITUTION = "institution", _("Institución")

    name = models.CharField(_("nombre"), max_length=160)
    slug = models.SlugField(_("identificador"), max_length=100)
    partner_type = models.CharField(
        _("tipo"), max_length=20, choices=PartnerType.choices, default=PartnerType.CITY
    )
    country = CountryField(_("país"), blank=True)
    city = models.CharField(_("ciudad"), max_length=120, blank=True)
    # Where the partner sits on the network map (allas_site.partners.map); empty keeps it off.
    latitude = models.FloatField(
        _("latitud"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("En grados decimales, de -90 (sur) a 90 (norte). Ejemplo: 40.4168."),
    )
    longitude = models.FloatField(
        _("longitud"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("En grados decimales, de -180 (oeste) a 180 (este). Ejemplo: -3.7038."),
    )
    website = models.URLField(_("sitio web"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logotipo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("descripción"), blank=True, max_length=2000)
    topics = ParentalManyToManyField("topics.Topic", verbose_name=_("temas"), blank=True)
    people = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personas expertas"),
        blank=True,
        related_name="partners",
    )

    objects = PartnerQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        MultiFieldPanel(
            [
                FieldPanel("partner_type"),
                FieldPanel("country"),
                FieldPanel("city"),
                FieldPanel("latitude"),
                FieldPanel("longitude"),
            ],
            heading=_("Dónde"),
        ),
        FieldPanel("website"),
        FieldPanel("logo"),
        FieldPanel("description"),
        FieldPanel("topics"),
        FieldPanel("people"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("description"),
        index.SearchField("city"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("socio")
        verbose_name_plural = _("socios")
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="unique_partner_slug_per_locale"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        # Half a position would put the city on the equator or the prime meridian.
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            raise ValidationError(
                {missing: _("Indica la latitud y la longitud, o deja las dos vacías.")}
            )

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("publications:partner_detail", kwargs={"slug": self.slug})
