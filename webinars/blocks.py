"""StreamField blocks of the webinar pages: the event body reuses the site's base
vocabulary; chapters are the recording's table of contents."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from allas_site.core.blocks import BaseStreamBlock


class WebinarStreamBlock(BaseStreamBlock):
    """The event's description: the same blocks as every other page."""


class ChapterBlock(blocks.StructBlock):
    seconds = blocks.IntegerBlock(
        label=_("Segundo"), min_value=0, help_text=_("Momento de la grabación en segundos.")
    )
    title = blocks.CharBlock(label=_("Título"), max_length=200)

    class Meta:
        icon = "time"
        label = _("Capítulo")
        description = _("Un momento de la grabación y su título.")
        preview_value = {"seconds": 90, "title": "Presentación"}


class ChaptersBlock(blocks.StreamBlock):
    chapter = ChapterBlock()
