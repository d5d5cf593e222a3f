"""The survey of a consultation: one StreamField block per kind of question.

Every question is addressed by its block's ``id`` (a UUID Wagtail keeps across edits
and copies into every translation), and every option of a choice or ranking question
by its list item's ``id``: answers store those ids, never the visible text or the
position, so an editor may reword, reorder or translate without breaking answers.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

SINGLE = "single_choice"
MULTIPLE = "multiple_choice"
RANKING = "ranking"
SCALE = "scale"
SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"

CHOICE_KINDS = frozenset({SINGLE, MULTIPLE, RANKING})
TEXT_KINDS = frozenset({SHORT_TEXT, LONG_TEXT})
SCALE_VALUES = (1, 2, 3, 4, 5)
TEXT_LIMITS = {SHORT_TEXT: 200, LONG_TEXT: 3000}
MAX_OPTIONS = 20


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Pregunta"), max_length=300)
    help_text = blocks.CharBlock(label=_("Ayuda"), max_length=300, required=False)
    required = blocks.BooleanBlock(label=_("Obligatoria"), required=False, default=True)

    class Meta:
        icon = "help"


class ChoiceQuestionBlock(QuestionBlock):
    options = blocks.ListBlock(
        blocks.CharBlock(label=_("Opción"), max_length=200), label=_("Opciones"),
        min_num=2, max_num=MAX_OPTIONS,
    )

    class Meta:
        icon = "list-ul"
        preview_value = {"question": "¿Qué prioridad debería tener la ciudad?",
                         "options": ["Cooperación", "Promoción", "Redes"], "required": True}


class SingleChoiceBlock(ChoiceQuestionBlock):
    class Meta:
        icon = "radio-full"
        label = _("Elección única")
        description = _("Una sola respuesta entre varias opciones.")


class MultipleChoiceBlock(ChoiceQuestionBlock):
    class Meta:
        icon = "tasks"
        label = _("Elección múltiple")
        description = _("Una o varias respuestas entre varias opciones.")


class RankingBlock(ChoiceQuestionBlock):
    class Meta:
        icon = "order"
        label = _("Ordenar por prioridad")
        description = _("La persona ordena todas las opciones de la más a la menos importante.")


class ScaleBlock(QuestionBlock):
    min_label = blocks.CharBlock(label=_("Significado de 1"), max_length=80, required=False)
    max_label = blocks.CharBlock(label=_("Significado de 5"), max_length=80, required=False)

    class Meta:
        icon = "pick"
        label = _("Escala de 1 a 5")
        description = _("Una valoración de 1 a 5.")
        preview_value = {"question": "¿Cuánto conoces la acción internacional de tu ciudad?",
                         "min_label": "Nada", "max_label": "Mucho"}


class ShortTextBlock(QuestionBlock):
    class Meta:
        icon = "pilcrow"
        label = _("Texto corto")
        description = _("Una línea de texto (hasta 200 caracteres), moderada antes de mostrarse.")
        preview_value = {"question": "¿Con qué ciudad te gustaría cooperar?"}


class LongTextBlock(QuestionBlock):
    class Meta:
        icon = "doc-full"
        label = _("Texto largo")
        description = _("Un texto libre (hasta 3000 caracteres), moderado antes de mostrarse.")
        preview_value = {"question": "¿Qué debería hacer la ciudad en el mundo?"}


class SurveyBlock(blocks.StreamBlock):
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    ranking = RankingBlock()
    scale = ScaleBlock()
    short_text = ShortTextBlock()
    long_text = LongTextBlock()

    class Meta:
        block_counts = {}
