"""Thin views of a consultation (sub-pages of ``ConsultationPage``, so they follow the
page into every language's tree): parse the form, call a service, answer."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from participation.consultations import presenters, services
from participation.consultations.models import Sector

TEMPLATES = "participation/consultations"


def _parse_answers(request, questions):
    """The form's fields as ``{question id: value}`` in the shapes ``survey`` checks."""
    raw = {}
    for question in questions:
        name = f"q-{question.id}"
        if question.kind == "multiple_choice":
            values = request.POST.getlist(name)
            if values:
                raw[question.id] = values
        elif question.kind == "ranking":
            positions = {oid: request.POST.get(f"{name}-{oid}", "") for oid in question.option_ids}
            if any(positions.values()):
                raw[question.id] = positions
        elif name in request.POST:
            raw[question.id] = request.POST.get(name)
    return raw


def _form_context(request, page, *, values, errors, participant_values=None):
    consultation = services.original_of(page)
    questions = services.questions_for(page, consultation)
    participant = services.participant_of(request.user)
    response = services.response_of(request.user, consultation)
    if participant_values is None:
        participant_values = {"sector": participant.sector if participant else "",
                              "city": participant.city if participant else ""}
    return {
        "page": page,
        "consultation": consultation,
        "questions": presenters.form_questions(questions, values, errors),
        "errors": errors,
        "form_error": errors.get("__all__"),
        "participant": participant,
        "participant_values": participant_values,
        "sectors": Sector.choices,
        "response": response,
        "is_open": consultation.is_open(),
        "phase": consultation.phase(),
        "page_url": page.get_url(request),
    }


def participate(request, page):
    page_url = page.get_url(request)
    here = page_url + "participar/"
    if not request.user.is_authenticated:
        return redirect_to_login(here)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    consultation = services.original_of(page)
    if request.method == "GET":
        response = services.response_of(request.user, consultation)
        values = response.answers if response else {}
        context = _form_context(request, page, values=values, errors={})
        return TemplateResponse(request, f"{TEMPLATES}/participate.html", context)

    questions = services.questions_for(page, consultation)
    raw = _parse_answers(request, questions)
    submit = request.POST.get("action") != "draft"
    sector = request.POST.get("sector") if "sector" in request.POST else None
    city = request.POST.get("city") if "city" in request.POST else None
    try:
        services.do_save_response(request.user, page, raw, submit=submit, sector=sector,
                                  city=city)
    except services.ConsultationError as error:
        errors = dict(error.errors)
        errors.setdefault("__all__", str(error))
        context = _form_context(
            request, page, values=raw, errors=errors,
            participant_values={"sector": sector or "", "city": city or ""}
            if sector is not None or city is not None else None,
        )
        return TemplateResponse(request, f"{TEMPLATES}/participate.html", context,
                                status=error.status)
    if submit:
        messages.success(request, _("Gracias: tus respuestas se han enviado. Puedes "
                                    "cambiarlas mientras la consulta siga abierta."))
        return redirect(page_url + "#tu-participacion")
    messages.success(request, _("Borrador guardado. Nadie lo ve y no cuenta en los resultados "
                                "hasta que lo envíes."))
    return redirect(here)


def results(request, page):
    consultation = services.original_of(page)
    if not services.can_see_results(request.user, consultation):
        status = 403
        context = {"page": page, "consultation": consultation,
                   "reason": _("Los resultados se muestran al cerrar la consulta.")
                   if consultation.results_visibility == "after_close"
                   else _("Responde a la consulta para ver sus resultados en directo; "
                          "al cerrar, se publican para todo el mundo.")}
        return TemplateResponse(request, f"{TEMPLATES}/results_hidden.html", context,
                                status=status)
    context = {"page": page, **presenters.results_context(page, user=request.user)}
    template = "results_fragment.html" if request.GET.get("fragmento") == "1" else "results.html"
    response = TemplateResponse(request, f"{TEMPLATES}/{template}", context)
    response["Cache-Control"] = "private, no-store"
    return response


def delete_response(request, page):
    page_url = page.get_url(request)
    if not request.user.is_authenticated:
        return redirect_to_login(page_url)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.do_delete_response(request.user, page)
    except services.ConsultationError as error:
        messages.error(request, str(error))
        return redirect(page_url)
    messages.success(request, _("Hemos borrado tus respuestas a esta consulta."))
    return redirect(page_url)
