"""The survey as the rest of the app sees it: questions with stable ids, and the one
function that validates a set of answers against them (``clean_answers``).

Answers are stored as ``{question id: value}``, with these values:

* single choice: an option id;
* multiple choice: a list of distinct option ids;
* ranking: the list of every option id, most important first;
* scale: an integer from 1 to 5;
* short / long text: a string within the question's limit.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from participation.consultations import blocks as kinds

MAX_ID = 64


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    label: str
    help_text: str = ""
    required: bool = False
    options: tuple = ()  # ((option id, label), ...)
    min_label: str = ""
    max_label: str = ""
    number: int = 0

    @property
    def option_ids(self):
        return [option_id for option_id, _label in self.options]

    def option_label(self, option_id):
        return dict(self.options).get(option_id, "")

    @property
    def is_choice(self):
        return self.kind in kinds.CHOICE_KINDS

    @property
    def is_text(self):
        return self.kind in kinds.TEXT_KINDS

    @property
    def is_scale(self):
        return self.kind == kinds.SCALE

    @property
    def max_length(self):
        return kinds.TEXT_LIMITS.get(self.kind, 0)


def questions_of(survey):
    """The questions of a survey StreamValue, in order."""
    questions = []
    for number, child in enumerate(survey or (), start=1):
        value = child.value
        options = ()
        if child.block_type in kinds.CHOICE_KINDS:
            options = tuple(
                (str(item.id), str(item.value)) for item in value["options"].bound_blocks
            )
        questions.append(Question(
            id=str(child.id),
            kind=child.block_type,
            label=value["question"],
            help_text=value.get("help_text") or "",
            required=bool(value.get("required")),
            options=options,
            min_label=value.get("min_label") or "",
            max_label=value.get("max_label") or "",
            number=number,
        ))
    return questions


def translated_questions(original, translation):
    """The original's questions (ids, kinds, options) with the labels of ``translation``
    where it has the same question or option id; the original's text elsewhere."""
    if translation is None:
        return original
    labels = {question.id: question for question in translation}
    merged = []
    for question in original:
        other = labels.get(question.id)
        if other is None or other.kind != question.kind:
            merged.append(question)
            continue
        option_labels = dict(other.options)
        merged.append(Question(
            id=question.id, kind=question.kind, label=other.label or question.label,
            help_text=other.help_text, required=question.required,
            options=tuple((oid, option_labels.get(oid) or label)
                          for oid, label in question.options),
            min_label=other.min_label, max_label=other.max_label, number=question.number,
        ))
    return merged


@dataclass
class Cleaned:
    answers: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)  # question id (or "__all__") -> message


def _is_id(value):
    return isinstance(value, str) and 0 < len(value) <= MAX_ID


def _clean_one(question, value):
    """(clean value or None when empty, error message or None)."""
    if question.kind == kinds.SINGLE:
        if value in (None, ""):
            return None, None
        if not _is_id(value) or value not in question.option_ids:
            return None, _("Esa opción no existe en esta pregunta.")
        return value, None
    if question.kind == kinds.MULTIPLE:
        if value in (None, "", []):
            return None, None
        if not isinstance(value, list) or not all(_is_id(item) for item in value):
            return None, _("Respuesta no válida.")
        if any(item not in question.option_ids for item in value):
            return None, _("Esa opción no existe en esta pregunta.")
        if len(set(value)) != len(value):
            return None, _("Cada opción se elige una sola vez.")
        return [oid for oid in question.option_ids if oid in value], None
    if question.kind == kinds.RANKING:
        return _clean_ranking(question, value)
    if question.kind == kinds.SCALE:
        if value in (None, ""):
            return None, None
        # Only the ASCII digits of the form: "²".isdigit() is true and int() refuses it.
        if isinstance(value, str) and value.strip() in {str(n) for n in kinds.SCALE_VALUES}:
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or value not in kinds.SCALE_VALUES:
            return None, _("Elige un valor entre 1 y 5.")
        return value, None
    if question.is_text:
        if value is None:
            return None, None
        if not isinstance(value, str):
            return None, _("Respuesta no válida.")
        value = value.replace("\x00", "").strip()
        if not value:
            return None, None
        if len(value) > question.max_length:
            return None, _("Escribe como máximo %(limit)s caracteres (tienes %(count)s).") % {
                "limit": question.max_length, "count": len(value)}
        return value, None
    return None, _("Tipo de pregunta desconocido.")


def _clean_ranking(question, value):
    """A list of option ids in order, or ``{option id: position}`` (from the form)."""
    if value in (None, "", [], {}):
        return None, None
    if isinstance(value, dict):
        if any(pos in (None, "") for pos in value.values()):
            if all(pos in (None, "") for pos in value.values()):
                return None, None
            return None, _("Da una posición a cada opción.")
        try:
            positions = {key: int(pos) for key, pos in value.items()}
        except (TypeError, ValueError):
            return None, _("Las posiciones son números.")
        if not all(_is_id(key) for key in positions):
            return None, _("Respuesta no válida.")
        if sorted(positions.values()) != list(range(1, len(question.options) + 1)):
            return None, _("Usa cada posición una sola vez, de 1 a %(count)s.") % {
                "count": len(question.options)}
        value = sorted(positions, key=positions.get)
    if not isinstance(value, list) or not all(_is_id(item) for item in value):
        return None, _("Respuesta no válida.")
    if any(item not in question.option_ids for item in value):
        return None, _("Esa opción no existe en esta pregunta.")
    if sorted(value) != sorted(question.option_ids):
        return None, _("Ordena todas las opciones, cada una una sola vez.")
    return value, None


def clean_answers(questions, raw, *, complete):
    """Validate ``raw`` (``{question id: value}``) against ``questions``.

    ``complete`` (a submission, not a draft) also requires the required questions.
    Never raises on bad input: every problem is an entry of ``errors``."""
    result = Cleaned()
    if not isinstance(raw, dict):
        result.errors["__all__"] = _("Respuesta no válida.")
        return result
    known = {question.id: question for question in questions}
    unknown = [key for key in raw if key not in known]
    if unknown:
        result.errors["__all__"] = _("La encuesta ha cambiado: recarga la página.")
    for question in questions:
        value, error = _clean_one(question, raw.get(question.id))
        if error:
            result.errors[question.id] = error
        elif value is None:
            if complete and question.required:
                result.errors[question.id] = _("Esta pregunta es obligatoria.")
        else:
            result.answers[question.id] = value
    return result
