"""Responses as a table for the consultation's editors (CSV/XLSX), and a person's own
answers for their data export. Never a name or an e-mail in the editors' table: a
response is a number, a sector and a city. Every cell goes through the spreadsheet
formula guard."""

from django.utils import timezone
from django.utils.translation import gettext as _

from allas_site.core.exports import spreadsheet_safe
from participation.consultations import services
from participation.consultations.models import Response, Sector


def readable(question, value):
    """An answer as text, in the survey's words."""
    if value is None:
        return ""
    if question.kind == "single_choice":
        return question.option_label(value)
    if question.kind == "multiple_choice":
        return "; ".join(question.option_label(option) for option in value)
    if question.kind == "ranking":
        return " > ".join(question.option_label(option) for option in value)
    return str(value)


def response_table(user, consultation):
    """(header, rows) of the submitted responses; only the consultation's editors
    (``ConsultationError`` 403 for anyone else, another city's editors included)."""
    consultation = services.original_of(consultation)
    services.check_consultation_editor(user, consultation)
    questions = services.questions_for(consultation, consultation)
    header = [_("Respuesta"), _("Sector"), _("Ciudad"), _("Enviada"), _("Idioma")]
    header += [f"{question.number}. {question.label}" for question in questions]
    sectors = dict(Sector.choices)
    rows = []
    for response in (Response.objects.submitted().filter(consultation=consultation)
                     .order_by("submitted_at", "pk").iterator()):
        row = [
            response.pk, str(sectors.get(response.sector, response.sector)), response.city,
            timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M"),
            response.language,
        ]
        row += [readable(question, response.answers.get(question.id)) for question in questions]
        rows.append([spreadsheet_safe(cell) for cell in row])
    return [spreadsheet_safe(cell) for cell in header], rows


def personal_data(user):
    """Everything the person answered, for their own data export."""
    data = []
    for response in (Response.objects.filter(user=user).select_related("consultation")
                     .order_by("pk")):
        consultation = response.consultation
        questions = services.questions_for(consultation, consultation)
        data.append({
            "consultation": consultation.title,
            "status": response.status,
            "sector": response.sector,
            "city": response.city,
            "created_at": response.created_at.isoformat(),
            "submitted_at": response.submitted_at.isoformat() if response.submitted_at else None,
            "answers": [
                {"question": question.label,
                 "answer": readable(question, response.answers.get(question.id))}
                for question in questions if question.id in response.answers
            ],
        })
    participant = services.participant_of(user)
    return {
        "participant": {"sector": participant.sector, "city": participant.city}
        if participant else None,
        "responses": data,
    }
