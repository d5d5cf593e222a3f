"""Wagtail admin views for a campaign's editors: the signatures (filter by status,
approve or reject in bulk, export CSV/XLSX) and posting an update. Permission is the
services' (``can_review``: whoever may edit the campaign's page); anyone else gets a 403.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allas_site.core.exports import spreadsheet_safe
from allas_site.core.params import parse_id
from courses import reports
from participation.campaigns import services
from participation.campaigns.models import CampaignPage, Signature, SignatureStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = [
    ("organisation", gettext_lazy("Organización")),
    ("type", gettext_lazy("Tipo")),
    ("city", gettext_lazy("Ciudad")),
    ("country", gettext_lazy("País")),
    ("representative_name", gettext_lazy("Persona que firma")),
    ("representative_role", gettext_lazy("Cargo")),
    ("email", gettext_lazy("Correo electrónico")),
    ("status", gettext_lazy("Estado")),
    ("partner", gettext_lazy("Socio de la red")),
    ("language", gettext_lazy("Idioma")),
    ("created_at", gettext_lazy("Firmada")),
    ("confirmed_at", gettext_lazy("Confirmada")),
    ("reviewed_at", gettext_lazy("Revisada")),
]


def _campaign(request, page_id):
    page_id = parse_id(page_id)
    page = CampaignPage.objects.filter(pk=page_id).first() if page_id else None
    if page is None:
        raise Http404
    campaign = services.original_of(page)
    try:
        services.check_can_review(request.user, campaign)
    except services.CampaignError as error:
        raise PermissionDenied(str(error)) from error
    return campaign


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def export_table(signatures):
    """(header, rows) with every cell made formula-safe."""
    header = [str(label) for _key, label in COLUMNS]
    body = []
    for s in signatures:
        row = {
            "organisation": s.organisation, "type": s.get_signatory_type_display(),
            "city": s.city, "country": s.country.name, "representative_name":
            s.representative_name, "representative_role": s.representative_role,
            "email": s.email, "status": s.get_status_display(),
            "partner": s.partner.name if s.partner_id else "", "language": s.language,
            "created_at": _when(s.created_at), "confirmed_at": _when(s.confirmed_at),
            "reviewed_at": _when(s.reviewed_at),
        }
        body.append([spreadsheet_safe(str(row[key])) for key, _label in COLUMNS])
    return header, body


def signatures(request, page_id):
    campaign = _campaign(request, page_id)
    status = request.GET.get("estado", SignatureStatus.CONFIRMED)
    if status not in SignatureStatus.values and status != "todas":
        status = SignatureStatus.CONFIRMED
    if request.method == "POST":
        decision = request.POST.get("decision")
        ids = [parse_id(value) for value in request.POST.getlist("ids")]
        try:
            if None in ids:
                raise services.CampaignError(_("Selección no válida."))
            changed = services.do_review(request.user, campaign, ids, decision)
        except services.CampaignError as error:
            messages.error(request, str(error))
        else:
            if decision == "approve":
                messages.success(request, _("Firmas aprobadas: %(n)s.") % {"n": len(changed)})
            else:
                messages.success(request, _("Firmas rechazadas: %(n)s.") % {"n": len(changed)})
        return redirect(f"{request.path}?estado={status}")
    queryset = Signature.objects.for_campaign(campaign).select_related("partner")
    if status != "todas":
        queryset = queryset.filter(status=status)
    export = request.GET.get("exportar")
    if export in {"csv", "xlsx"}:
        header, body = export_table(queryset.order_by("created_at", "pk"))
        name = f"firmas-{slugify(campaign.title)[:40] or campaign.pk}"
        if export == "csv":
            response = HttpResponse(reports.to_csv(header, body),
                                    content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(reports.to_xlsx(header, body, _("Firmas")),
                                    content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.{export}"'
        response["Cache-Control"] = "private, no-store"
        return response
    count, _seq = services.tally_of(campaign)
    by_status = {value: 0 for value in SignatureStatus.values}
    for value in Signature.objects.for_campaign(campaign).values_list("status", flat=True):
        by_status[value] += 1
    return TemplateResponse(request, "campaigns/admin/signatures.html", {
        "campaign": campaign,
        "rows": list(queryset.order_by("-created_at", "-pk")[:1000]),
        "status": status,
        "statuses": [(value, label, by_status[value]) for value, label in SignatureStatus.choices],
        "approved_count": count,
        "update_url": reverse("campaigns_admin:update", args=[campaign.pk]),
        "edit_url": reverse("wagtailadmin_pages:edit", args=[campaign.pk]),
        "page_title": _("Firmas: %(title)s") % {"title": campaign.title},
    })


class UpdateForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Título"), max_length=services.UPDATE_MAX["title"])
    body = forms.CharField(
        label=gettext_lazy("Texto"), max_length=services.UPDATE_MAX["body"],
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("Texto sin formato. Se publica en la página de la campaña y "
                               "llega por correo a cada firma aprobada."),
    )


def post_update(request, page_id):
    campaign = _campaign(request, page_id)
    form = UpdateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            update = services.do_post_update(request.user, campaign, form.cleaned_data["title"],
                                             form.cleaned_data["body"])
        except services.CampaignError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Novedad publicada; se enviará a %(n)s firmas aprobadas.")
                             % {"n": update.recipients})
            return redirect("campaigns_admin:signatures", campaign.pk)
    return TemplateResponse(request, "campaigns/admin/update.html", {
        "campaign": campaign,
        "form": form,
        "back_url": reverse("campaigns_admin:signatures", args=[campaign.pk]),
        "page_title": _("Publicar una novedad"),
    }, status=400 if request.method == "POST" else 200)
