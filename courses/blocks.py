"""Lesson content and quiz questions.

Quiz questions and answers are StreamField/ListBlock children, so each has a stable
UUID (kept when a lesson is translated or duplicated): attempts store those ids and
the per-question report groups by them.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from allas_site.core.blocks import BaseStreamBlock

TRUE_ID = "true"
FALSE_ID = "false"


class DocumentDownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Documento"))
    title = blocks.CharBlock(label=_("Título"), max_length=160, required=False)
    description = blocks.TextBlock(label=_("Descripción"), required=False, max_length=400)

    class Meta:
        icon = "doc-full"
        template = "components/courses/document_block.html"
        label = _("Documento para descargar")
        description = _("Un documento de la biblioteca que la persona puede descargar.")
        preview_value = {"title": "Guía de trabajo", "description": "PDF, 12 páginas"}


class CuadernoReferenceBlock(blocks.StructBlock):
    cuaderno = blocks.PageChooserBlock(
        label=_("Cuaderno"), page_type="publications.PublicationPage"
    )
    note = blocks.TextBlock(
        label=_("Por qué leerlo"), required=False, max_length=400,
        help_text=_("Qué capítulo o idea conviene leer y por qué."),
    )

    class Meta:
        icon = "openquote"
        template = "components/courses/cuaderno_reference_block.html"
        label = _("Referencia a un Cuaderno")
        description = _("Enlaza un Cuaderno de la colección con una nota de lectura.")
        preview_value = {"note": "Lee el capítulo 2 sobre estrategias de internacionalización."}


class LessonStreamBlock(BaseStreamBlock):
    document = DocumentDownloadBlock()
    cuaderno = CuadernoReferenceBlock()


class AnswerBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Respuesta"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Es correcta"), required=False)
    feedback = blocks.TextBlock(
        label=_("Retroalimentación"), required=False, max_length=500,
        help_text=_("Se muestra a quien elige esta respuesta."),
    )

    class Meta:
        icon = "radio-full"
        label = _("Respuesta")


class ChoiceQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Pregunta"), max_length=400)
    multiple = blocks.BooleanBlock(
        label=_("Varias respuestas correctas"), required=False,
        help_text=_("Si se marca, la persona elige todas las correctas (casillas)."),
    )
    answers = blocks.ListBlock(AnswerBlock(), label=_("Respuestas"), min_num=2, max_num=8)

    class Meta:
        icon = "list-ul"
        label = _("Pregunta de opción")
        description = _("Una pregunta con una o varias respuestas correctas.")

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for answer in value["answers"] if answer["correct"])
        if correct == 0 or (correct > 1 and not value["multiple"]):
            from django.core.exceptions import ValidationError

            raise blocks.StructBlockValidationError(
                block_errors={"answers": ValidationError(
                    _("Marca una respuesta correcta (o varias, si la pregunta lo permite).")
                )}
            )
        return value


class TrueFalseQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Afirmación"), max_length=400)
    correct = blocks.BooleanBlock(label=_("La afirmación es verdadera"), required=False)
    feedback_true = blocks.TextBlock(label=_("Retroalimentación si responde «Verdadero»"),
                                     required=False, max_length=500)
    feedback_false = blocks.TextBlock(label=_("Retroalimentación si responde «Falso»"),
                                      required=False, max_length=500)

    class Meta:
        icon = "tick"
        label = _("Verdadero o falso")
        description = _("Una afirmación que la persona juzga verdadera o falsa.")


class QuizBlock(blocks.StreamBlock):
    choice = ChoiceQuestionBlock()
    true_false = TrueFalseQuestionBlock()
