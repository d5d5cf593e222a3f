from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from allas_site.core.blocks import BaseStreamBlock
from allas_site.core.home_sections import collect_home_sections
from allas_site.partners.network import network_map


class HomePage(Page):
    """The site's front door: a hero, an introduction, editor blocks, and the sections
    that each capability (Cuadernos, courses, webinars, Café) contributes."""

    hero_title = models.CharField(_("título principal"), max_length=160)
    hero_lead = models.TextField(_("entradilla"), max_length=400, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("imagen principal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_cta_label = models.CharField(_("texto del botón"), max_length=60, blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("página del botón"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    introduction = RichTextField(
        _("introducción"), blank=True, features=["bold", "italic", "link", "ul"]
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenido"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_lead"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_label"),
                PageChooserPanel("hero_cta_page"),
            ],
            heading=_("Portada"),
        ),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]

    template = "pages/home_page.html"
    # See allas_site.core.page_cache. The Café section is live and the open courses
    # follow the calendar: anonymous copies live a minute rather than tracking them.
    cache_for_anonymous = True
    page_cache_seconds = 60
    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("página de inicio")
        verbose_name_plural = _("páginas de inicio")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["home_sections"] = collect_home_sections(request, self)
        # Computed only when the hero's shared fragment is drawn (not on every request).
        context["network_map"] = SimpleLazyObject(network_map)
        return context
