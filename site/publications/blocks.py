"""StreamField blocks of the Cuadernos and of the messages page."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from allas_site.core.blocks import BaseStreamBlock


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Documento"))
    label = blocks.CharBlock(label=_("Texto del enlace"), required=False, max_length=160)

    class Meta:
        icon = "doc-full"
        template = "components/publications/document_link_block.html"
        label = _("Enlace a documento")
        description = _("Un enlace de descarga a un documento de la biblioteca.")


class PublicationStreamBlock(BaseStreamBlock):
    document_link = DocumentLinkBlock()


class MessageBlock(blocks.StructBlock):
    number = blocks.IntegerBlock(label=_("Número"), min_value=1, max_value=99)
    title = blocks.CharBlock(label=_("Título"), max_length=200)
    text = blocks.RichTextBlock(label=_("Texto"), features=["bold", "italic", "link", "ul"])
    related = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="publications.PublicationPage"),
        label=_("Cuadernos relacionados"),
        required=False,
        default=[],
    )

    class Meta:
        icon = "list-ol"
        template = "components/publications/message_block.html"
        label = _("Mensaje")
        description = _("Uno de los mensajes de AL-LAs: número, título, texto y Cuadernos.")
        preview_value = {
            "number": 1,
            "title": "La internacionalización es una política pública",
            "text": "<p>Las ciudades actúan en el mundo para servir mejor a su gente.</p>",
        }


class MessagesStreamBlock(blocks.StreamBlock):
    message = MessageBlock()
