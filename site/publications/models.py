"""The Cuadernos collection: publications, their index, standard pages and the messages."""

from django.conf import settings
from django.db import models
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index

from allas_site.publications.blocks import MessagesStreamBlock, PublicationStreamBlock

# The card's cover (components/publications/card.html), prefetched by ``for_listing``.
COVER_FILTER = "fill-360x480|format-webp"


def language_name(code):
    # "PDF in Spanish" on an English page: named in the visitor's language.
    from allas_site.core.languages import language_name as named

    return named(code)


class PublicationType(models.TextChoices):
    CUADERNO = "cuaderno", _("Cuaderno")
    ARTICLE = "article", _("Artículo")
    EBOOK = "ebook", _("eBook")
    RELATORIA = "relatoria", _("Relatoría")


class PublicationQuerySet(PageQuerySet):
    def published(self):
        """Live and not behind a view restriction: what anonymous readers may see."""
        return self.live().public()

    def for_listing(self):
        """What a card needs, in a fixed number of queries whatever the page size
        (one query for all cover renditions), with the language of each card's content."""
        from wagtail.images.models import Rendition

        from allas_site.core.page_tree import with_content_language

        return with_content_language(self).select_related("cover_image", "locale").prefetch_related(
            "topics",  # the generated cover's pictogram
            models.Prefetch(
                "cover_image__renditions",
                queryset=Rendition.objects.filter(filter_spec=COVER_FILTER),
            )
        )


class PublicationIndexPage(Page):
    """``/cuadernos/``: the collection, with filters, sorting and pagination."""

    introduction = RichTextField(
        _("introducción"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    api_fields = [APIField("introduction")]
    cache_for_anonymous = True  # see allas_site.core.page_cache
    template = "pages/publication_index_page.html"
    parent_page_types = ["core.HomePage"]
    subpage_types = ["publications.PublicationPage"]
    max_count_per_parent = 1
    page_size = 12

    class Meta:
        verbose_name = _("colección de publicaciones")
        verbose_name_plural = _("colecciones de publicaciones")

    def get_context(self, request, *args, **kwargs):
        from allas_site.publications.listing import collection_context

        context = super().get_context(request, *args, **kwargs)
        context.update(collection_context(request, self))
        return context


class PublicationPage(Page):
    """A Cuaderno, article, eBook or relatoría, with one PDF per language edition."""

    publication_type = models.CharField(
        _("tipo de publicación"),
        max_length=20,
        choices=PublicationType.choices,
        default=PublicationType.CUADERNO,
    )
    series_number = models.PositiveIntegerField(
        _("número en la colección"),
        null=True,
        blank=True,
        help_text=_("Solo para los Cuadernos: su número en la serie."),
    )
    subtitle = models.CharField(_("subtítulo"), max_length=250, blank=True)
    abstract = models.TextField(_("resumen"), max_length=2000, blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("portada"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    publication_date = models.DateField(_("fecha de publicación"), null=True, blank=True)
    language = models.CharField(
        _("idioma original"), max_length=7, choices=settings.LANGUAGES, default="es"
    )
    topics = ParentalManyToManyField(
        "topics.Topic", verbose_name=_("temas"), blank=True, related_name="publications"
    )
    partners = ParentalManyToManyField(
        "partners.Partner", verbose_name=_("socios"), blank=True, related_name="publications"
    )
    isbn = models.CharField("ISBN", max_length=20, blank=True)
    doi = models.CharField("DOI", max_length=120, blank=True)
    body = StreamField(PublicationStreamBlock(), verbose_name=_("contenido"), blank=True)
    source_url = models.CharField(
        _("origen"),
        max_length=500,
        blank=True,
        help_text=_("Para las relatorías: la dirección del debate que resumen."),
    )

    objects = PageManager.from_queryset(PublicationQuerySet)()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("publication_type"),
                FieldPanel("series_number"),
                FieldPanel("subtitle"),
                FieldPanel("publication_date"),
                FieldPanel("language"),
            ],
            heading=_("Ficha"),
        ),
        InlinePanel("authors", label=_("Autoría"), heading=_("Autoría")),
        FieldPanel("abstract"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        InlinePanel("editions", label=_("Edición en PDF"), heading=_("Ediciones en PDF")),
        MultiFieldPanel(
            [
                FieldPanel("topics"),
                FieldPanel("partners"),
                FieldPanel("isbn"),
                FieldPanel("doi"),
                FieldPanel("source_url"),
            ],
            heading=_("Clasificación e identificadores"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle"),
        index.SearchField("abstract"),
        index.SearchField("body"),
        index.FilterField("publication_type"),
        index.FilterField("language"),
    ]
    api_fields = [
        APIField("publication_type"),
        APIField("series_number"),
        APIField("subtitle"),
        APIField("abstract"),
        APIField("publication_date"),
        APIField("language"),
        APIField("isbn"),
        APIField("doi"),
        APIField("cover_image"),
        APIField("body"),
        APIField("authors"),
        APIField("editions"),
    ]

    cache_for_anonymous = True  # see allas_site.core.page_cache
    page_cache_sections = ("cafe-pages",)  # the "Debates en el Café" block
    template = "pages/publication_page.html"
    parent_page_types = ["publications.PublicationIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("publicación")
        verbose_name_plural = _("publicaciones")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.publication_type == PublicationType.CUADERNO and not self.series_number:
            raise ValidationError(
                {"series_number": _("Un Cuaderno necesita su número en la colección.")}
            )

    @property
    def is_cuaderno(self):
        return self.publication_type == PublicationType.CUADERNO

    @property
    def year(self):
        return self.publication_date.year if self.publication_date else None

    @cached_property
    def author_list(self):
        """The authors, read once per page (the byline and the citation share them)."""
        return list(self.authors.select_related("person"))

    @property
    def author_names(self):
        return [author.display_name for author in self.author_list]

    def localized_topics(self):
        from allas_site.topics.models import Topic

        return Topic.objects.localized_for(self.topics.all())

    def get_context(self, request, *args, **kwargs):
        from allas_site.publications import citations
        from allas_site.publications.listing import related_publications

        context = super().get_context(request, *args, **kwargs)
        # Read only when the page's shared fragments are drawn, not on every request.
        context["citation"] = SimpleLazyObject(lambda: citations.for_page(self, request))
        context["related"] = SimpleLazyObject(lambda: related_publications(self))
        context["editions"] = SimpleLazyObject(self.edition_links)
        context["topics"] = SimpleLazyObject(lambda: list(self.localized_topics()))
        return context

    def edition_links(self):
        return [
            {
                "language": edition.language,
                "language_name": language_name(edition.language),
                "url": edition.download_url(),
                "size": edition.document.file_size if edition.document_id else None,
            }
            for edition in self.editions.select_related("document")
            if edition.document_id
        ]


class PublicationAuthor(Orderable):
    """An author: a free name, a linked expert profile, or both (the name wins)."""

    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="authors")
    name = models.CharField(_("nombre"), max_length=160, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("perfil"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authored_publications",
    )

    panels = [FieldPanel("name"), FieldPanel("person")]
    api_fields = [APIField("name")]

    class Meta(Orderable.Meta):
        verbose_name = _("autor o autora")
        verbose_name_plural = _("autoría")

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.name and not self.person_id:
            raise ValidationError(_("Indica un nombre o elige un perfil."))

    @property
    def display_name(self):
        if self.name:
            return self.name
        return self.person.public_name if self.person_id else ""


class PublicationEdition(Orderable):
    """One language edition of a publication: its PDF, from the document library."""

    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="editions")
    language = models.CharField(_("idioma"), max_length=7, choices=settings.LANGUAGES)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("PDF"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The PDF's words for the search, read by search.tasks after each save.
    text = models.TextField(_("texto del PDF"), blank=True, default="", editable=False)

    panels = [FieldPanel("language"), FieldPanel("document")]
    api_fields = [APIField("language"), APIField("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("edición")
        verbose_name_plural = _("ediciones")

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.document_id and self.document.file_extension.lower() != "pdf":
            raise ValidationError({"document": _("Cada edición debe ser un PDF.")})

    def download_url(self):
        from django.urls import reverse

        return reverse(
            "publications:download",
            kwargs={"page_id": self.page_id, "language": self.language},
        )


class EditionDownload(models.Model):
    """Downloads per edition. Kept out of the page's cluster so that publishing a
    revision (which rewrites the editions) never resets the counter."""

    page = models.ForeignKey(
        PublicationPage, on_delete=models.CASCADE, related_name="download_counts"
    )
    language = models.CharField(max_length=7, choices=settings.LANGUAGES)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("descargas de una edición")
        verbose_name_plural = _("descargas por edición")
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="unique_download_edition"),
        ]

    def __str__(self):
        return f"{self.page_id} {self.language}: {self.count}"


class StandardPage(Page):
    """A plain editorial page ("Sobre AL-LAs")."""

    introduction = models.TextField(_("entradilla"), blank=True, max_length=600)
    body = StreamField(PublicationStreamBlock(), verbose_name=_("contenido"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("introduction"),
                     index.SearchField("body")]
    api_fields = [APIField("introduction"), APIField("body")]
    cache_for_anonymous = True  # see allas_site.core.page_cache
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("página estándar")
        verbose_name_plural = _("páginas estándar")


class MessagesPage(Page):
    """The alliance's twelve messages, one structured block each."""

    introduction = models.TextField(_("entradilla"), blank=True, max_length=800)
    messages = StreamField(MessagesStreamBlock(), verbose_name=_("mensajes"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("messages")]
    search_fields = [*Page.search_fields, index.SearchField("introduction"),
                     index.SearchField("messages")]
    api_fields = [APIField("introduction"), APIField("messages")]
    cache_for_anonymous = True  # see allas_site.core.page_cache
    template = "pages/messages_page.html"

    class Meta:
        verbose_name = _("página de los mensajes")
        verbose_name_plural = _("páginas de los mensajes")
