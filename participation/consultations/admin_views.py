"""Wagtail admin views for a consultation's editors: overview, moderation of the
open-text answers, the participation report, the export, the return and the relatoría.
Permission is the services' (``is_consultation_editor``); anyone else gets a 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from allas_site.core.params import parse_id
from courses import reports
from participation.consultations import exports, presenters, services
from participation.consultations.models import ConsultationPage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _consultation(request, page_id):
    page_id = parse_id(page_id)
    page = ConsultationPage.objects.filter(pk=page_id).first() if page_id else None
    if page is None:
        raise Http404
    consultation = services.original_of(page)
    try:
        services.check_consultation_editor(request.user, consultation)
    except services.ConsultationError as error:
        raise PermissionDenied(str(error)) from error
    return consultation


def _urls(consultation):
    return {name: reverse(f"consultations_admin:{name}", args=[consultation.pk])
            for name in ("overview", "moderation", "report", "export", "publish_return",
                         "relatoria")}


def overview(request, page_id):
    consultation = _consultation(request, page_id)
    return TemplateResponse(request, "participation/consultations/admin/overview.html", {
        "consultation": consultation,
        "urls": _urls(consultation),
        "pending": presenters.pending_count(consultation),
        "responses": consultation.responses.submitted().count(),
        "phase": consultation.phase(),
        "edit_url": reverse("wagtailadmin_pages:edit", args=[consultation.pk]),
        "public_url": consultation.get_url(request),
        "page_title": _("Consulta: %(title)s") % {"title": consultation.title},
    })


def moderation(request, page_id):
    consultation = _consultation(request, page_id)
    status = 200
    if request.method == "POST":
        ids = [parse_id(value) for value in request.POST.getlist("answer")]
        try:
            changed = services.do_moderate_texts(
                request.user, consultation, [pk for pk in ids if pk],
                request.POST.get("action", ""))
        except services.ConsultationError as error:
            messages.error(request, str(error))
            status = 400
        else:
            messages.success(request, _("%(count)s textos moderados.") % {"count": changed})
            return redirect("consultations_admin:moderation", consultation.pk)
    return TemplateResponse(request, "participation/consultations/admin/moderation.html", {
        "consultation": consultation,
        "urls": _urls(consultation),
        "rows": presenters.moderation_queue(consultation),
        "page_title": _("Textos por moderar: %(title)s") % {"title": consultation.title},
    }, status=status)


def report(request, page_id):
    consultation = _consultation(request, page_id)
    return TemplateResponse(request, "participation/consultations/admin/report.html", {
        "consultation": consultation,
        "urls": _urls(consultation),
        **presenters.participation_report(consultation),
        "page_title": _("Participación: %(title)s") % {"title": consultation.title},
    })


def export(request, page_id):
    consultation = _consultation(request, page_id)
    kind = request.GET.get("formato")
    if kind not in {"csv", "xlsx"}:
        return HttpResponse(_("Formato desconocido: usa csv o xlsx."), status=400,
                            content_type="text/plain; charset=utf-8")
    try:
        header, rows = exports.response_table(request.user, consultation)
    except services.ConsultationError as error:
        raise PermissionDenied(str(error)) from error
    name = f"respuestas-{slugify(consultation.title)[:40] or consultation.pk}"
    if kind == "csv":
        response = HttpResponse(reports.to_csv(header, rows),
                                content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(reports.to_xlsx(header, rows, _("Respuestas")),
                                content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response["Cache-Control"] = "private, no-store"
    return response


def publish_return(request, page_id):
    consultation = _consultation(request, page_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.do_publish_return(request.user, consultation)
    except services.ConsultationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Devolución publicada: avisamos a cada participante."))
    return redirect("consultations_admin:overview", consultation.pk)


def relatoria(request, page_id):
    consultation = _consultation(request, page_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        page = services.do_create_relatoria(request.user, consultation)
    except services.ConsultationError as error:
        messages.error(request, str(error))
        return redirect("consultations_admin:overview", consultation.pk)
    except Exception as error:  # PublicationError / PermissionDenied from the collection
        from django.core.exceptions import ValidationError

        if not isinstance(error, ValidationError | PermissionDenied):
            raise
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("consultations_admin:overview", consultation.pk)
    messages.success(request, _("Borrador de relatoría creado en la Colección de Cuadernos."))
    return redirect("wagtailadmin_pages:edit", page.pk)
