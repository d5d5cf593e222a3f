"""The search index's documents, and what people searched for.

Every searchable thing (a Cuaderno, a page, a topic, a partner, an expert, a course, a
lesson, a webinar, a Café debate or post) is projected by ``search.indexing`` into one
``SearchDocument`` per language version. One model means one Wagtail index and one
query: ranking, facets, counts and pagination all come from the same filtered query,
and the permission columns below are filter fields, so nobody's results (or counts)
ever include what they could not open.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from search import text


class Kind(models.TextChoices):
    PUBLICATION = "publication", _("Publicación")
    PAGE = "page", _("Página")
    TOPIC = "topic", _("Tema")
    PARTNER = "partner", _("Socio")
    EXPERT = "expert", _("Persona experta")
    COURSE = "course", _("Curso")
    LESSON = "lesson", _("Lección")
    WEBINAR = "webinar", _("Webinar")
    DEBATE = "debate", _("Debate del Café")
    POST = "post", _("Mensaje del Café")


# Read levels, as in the Café (community.permissions): everyone, members, experts.
EVERYONE, MEMBERS, EXPERTS = "everyone", "members", "experts"


class SearchDocumentQuerySet(models.QuerySet):
    def visible_to(self, user, enrolled_course_ids=()):
        """What ``user`` could open. Lessons come twice: a preview (title and summary,
        for everyone) and the full text (for the course's learners), so a learner
        sees one of the two and nobody else ever matches a lesson's body."""
        from community import permissions

        enrolled = [str(key) for key in enrolled_course_ids]
        return self.filter(read_level__in=permissions.read_levels(user)).filter(
            models.Q(enrolled_course__isnull=True) | models.Q(enrolled_course__in=enrolled)
        ).exclude(preview_of_course__in=enrolled)


class SearchDocument(index.Indexed, models.Model):
    kind = models.CharField(max_length=12, choices=Kind.choices, db_index=True)
    # Where it comes from: ``<app_label>.<model>:<pk>[:<part>]``, one row per source part.
    source = models.CharField(max_length=120, unique=True)
    source_type = models.CharField(max_length=60, db_index=True)
    source_id = models.BigIntegerField()
    # The same thing in other languages shares this key (Wagtail's translation_key).
    translation_key = models.CharField(max_length=64, db_index=True)
    language = models.CharField(max_length=7, db_index=True)
    # Every language this thing is findable in, ",es,en,": a visitor's language
    # version is preferred without a subquery per row (search.query.visible_documents).
    languages = models.CharField(max_length=40, default="", blank=True)
    heading = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    content = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    topic = models.ForeignKey(
        "topics.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateTimeField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    context = models.CharField(max_length=255, blank=True)  # "Curso X", "Café · Categoría"
    # Permissions, filtered in the query.
    read_level = models.CharField(max_length=10, default=EVERYONE)
    # A course's translation_key (enrolments count for every language of a course).
    enrolled_course = models.CharField(max_length=64, null=True, blank=True)
    preview_of_course = models.CharField(max_length=64, null=True, blank=True)
    # Autocomplete offers titles of these kinds only (not every Café post).
    suggestable = models.BooleanField(default=True)
    # db_index: the spelling suggestion reads its maximum (search.query._vocabulary).
    indexed_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = SearchDocumentQuerySet.as_manager()
    # Indexed by search.indexing after commit, in batches, not by Wagtail's save signal.
    search_auto_update = False

    # ``title``/``body`` are methods: the index receives analysed text (see search.text).
    search_fields = [
        index.SearchField("title", boost=4),
        index.SearchField("body"),
        index.AutocompleteField("autocomplete"),
        index.FilterField("kind"),
        index.FilterField("language"),
        index.FilterField("topic_id"),
        index.FilterField("year"),
        index.FilterField("date"),
        index.FilterField("read_level"),
        index.FilterField("enrolled_course"),
        index.FilterField("preview_of_course"),
        index.FilterField("translation_key"),
        index.FilterField("languages"),
        index.FilterField("suggestable"),
        index.FilterField("id"),  # the tie-break of "most recent first"
    ]
    # The search backends (search.backends) analyse queries for this model.
    analysed_search = True

    class Meta:
        verbose_name = _("documento del buscador")
        verbose_name_plural = _("documentos del buscador")
        indexes = [models.Index(fields=["source_type", "source_id"], name="search_doc_source")]

    def __str__(self):
        return self.heading

    @property
    def search_language(self):
        return text.language_of(self.language)

    def title(self):
        return text.index_text(self.heading, self.search_language)

    def body(self):
        return text.index_text(
            f"{self.summary}\n{self.context}\n{self.content}", self.search_language
        )

    def autocomplete(self):
        return text.autocomplete_text(self.heading) if self.suggestable else ""


class QueryStat(models.Model):
    """How often a query was searched per day and language, and whether it found
    anything: the editors' report of popular queries and queries without results."""

    query = models.CharField(max_length=120)
    language = models.CharField(max_length=7)
    day = models.DateField(default=timezone.localdate)
    hits = models.PositiveIntegerField(default=0)
    empty_hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("búsqueda")
        verbose_name_plural = _("búsquedas")
        constraints = [
            models.UniqueConstraint(fields=["query", "language", "day"], name="query_stat_day")
        ]

    def __str__(self):
        return self.query
