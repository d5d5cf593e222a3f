"""The base StreamField vocabulary; apps extend ``BaseStreamBlock`` with their own blocks."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Texto"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Nivel"),
        choices=[("h2", _("Título de sección")), ("h3", _("Subtítulo"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "components/blocks/heading_block.html"
        label = _("Título")
        description = _("Un título de sección o subtítulo, para estructurar el texto.")
        preview_value = {"text": "Ciudades al mundo", "level": "h2"}


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Cita"))
    attribution = blocks.CharBlock(label=_("Autoría"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "components/blocks/quote_block.html"
        label = _("Cita")
        description = _("Una cita destacada, con su autoría.")
        preview_value = {
            "text": "La acción internacional no es un fin, sino un medio.",
            "attribution": "Proyecto AL-LAs",
        }


class CalloutBlock(blocks.StructBlock):
    tone = blocks.ChoiceBlock(
        label=_("Tono"),
        choices=[("info", _("Información")), ("key", _("Idea clave")), ("warning", _("Atención"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("Título"), max_length=120, required=False)
    text = blocks.RichTextBlock(label=_("Texto"), features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "help"
        template = "components/blocks/callout_block.html"
        label = _("Recuadro")
        description = _("Un recuadro que destaca una idea clave, un aviso o un dato.")
        preview_value = {
            "tone": "key",
            "title": "Idea clave",
            "text": "<p>Internacionalizarse es tejer redes de cooperación.</p>",
        }


class CaptionedImageBlock(ImageBlock):
    caption = blocks.CharBlock(label=_("Pie de foto"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "components/blocks/image_block.html"
        label = _("Imagen")
        description = _("Una imagen con texto alternativo y pie de foto.")


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Párrafo"),
        icon="pilcrow",
        template="components/blocks/paragraph_block.html",
        features=["bold", "italic", "link", "ol", "ul", "h3", "document-link"],
        description=_("Texto con formato: negritas, cursivas, enlaces y listas."),
        preview_value="<p>Las ciudades tejen redes de colaboración y aprendizaje.</p>",
    )
    quote = QuoteBlock()
    callout = CalloutBlock()
    image = CaptionedImageBlock()
    embed = EmbedBlock(
        label=_("Vídeo o contenido incrustado"),
        icon="media",
        template="components/blocks/embed_block.html",
        description=_("Un vídeo u otro contenido incrustado a partir de su URL."),
        max_width=960,
    )

    class Meta:
        template = "components/blocks/stream_block.html"
