from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Locale, TranslatableMixin
from wagtail.search import index


class TopicQuerySet(models.QuerySet):
    def in_locale(self, locale=None):
        return self.filter(locale=locale or Locale.get_active())

    def localized_for(self, topics):
        """``topics`` (rows of any language) as rows of the active language when a
        translation exists; one query whatever their number."""
        topics = list(topics)
        if not topics:
            return []
        locale = Locale.get_active()
        translated = {
            topic.translation_key: topic
            for topic in self.filter(
                locale=locale, translation_key__in=[t.translation_key for t in topics]
            )
        }
        seen, result = set(), []
        for topic in topics:
            chosen = translated.get(topic.translation_key, topic)
            if chosen.translation_key not in seen:
                seen.add(chosen.translation_key)
                result.append(chosen)
        return sorted(result, key=lambda topic: topic.name.lower())


class Topic(TranslatableMixin, index.Indexed, models.Model):
    """One shared taxonomy for Cuadernos, courses, webinars and the Café.

    Translated with Wagtail i18n: each language has its own row, linked by
    ``translation_key``; the slug stays the same across languages.
    """

    name = models.CharField(_("nombre"), max_length=80)
    slug = models.SlugField(_("identificador"), max_length=80, allow_unicode=False)
    description = models.TextField(_("descripción"), blank=True, max_length=600)
    featured = models.BooleanField(
        _("destacado"), default=False, help_text=_("Se muestra en la página de inicio.")
    )

    objects = TopicQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"),
              FieldPanel("featured")]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("description"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("tema")
        verbose_name_plural = _("temas")
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_topic_slug_per_locale"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("publications:topic_detail", kwargs={"slug": self.slug})
