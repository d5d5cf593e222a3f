"""Wagtail admin views for an event's editors: the registrants (status, waitlist
position, answers, attendance) with their CSV/XLSX export, and a message to every
registered person. Permission is the services' (``webinars.archive``): whoever may
edit the event's page; anyone else gets a 403."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allas_site.core.params import parse_id
from courses import reports
from webinars import archive
from webinars.models import Registration, RegistrationStatus, WebinarPage
from webinars.services import WebinarError, original_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _event(request, page_id):
    """The event's original page, once the editor may manage its registrants."""
    # <int:> lets through numbers beyond a database id (the admin's URLs are built
    # before the project's <id:> converter is registered).
    page_id = parse_id(page_id)
    page = WebinarPage.objects.filter(pk=page_id).first() if page_id else None
    if page is None:
        raise Http404
    event = original_of(page)
    try:
        archive.check_can_manage_registrants(request.user, event)
    except WebinarError as error:
        raise PermissionDenied(str(error)) from error
    return event


def registrants(request, page_id):
    event = _event(request, page_id)
    rows = archive.registrant_rows(request.user, event)
    export = request.GET.get("exportar")
    if export in {"csv", "xlsx"}:
        header, body = archive.registrant_table(rows)
        name = f"inscripciones-{slugify(event.title)[:40] or event.pk}"
        if export == "csv":
            response = HttpResponse(reports.to_csv(header, body),
                                    content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(reports.to_xlsx(header, body, _("Inscripciones")),
                                    content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.{export}"'
        response["Cache-Control"] = "private, no-store"
        return response
    counts = {
        "registered": sum(1 for r in rows if r["status_code"] == RegistrationStatus.REGISTERED),
        "waitlisted": sum(1 for r in rows if r["status_code"] == RegistrationStatus.WAITLISTED),
        "cancelled": sum(1 for r in rows if r["status_code"] == RegistrationStatus.CANCELLED),
        "attended": sum(1 for r in rows if r["attended"]),
    }
    return TemplateResponse(request, "webinars/admin/registrants.html", {
        "event": event,
        "rows": rows,
        "counts": counts,
        "asks": event.ask_organisation or event.ask_city or event.ask_accessibility,
        "message_log": archive.message_log(event),
        "message_url": reverse("webinars_admin:message", args=[event.pk]),
        "edit_url": reverse("wagtailadmin_pages:edit", args=[event.pk]),
        "page_title": _("Inscripciones: %(title)s") % {"title": event.title},
    })


class MessageForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Asunto"), max_length=archive.SUBJECT_MAX)
    body = forms.CharField(
        label=gettext_lazy("Mensaje"), max_length=archive.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("Texto sin formato. Lo recibirá cada persona con plaza "
                               "(no la lista de espera) en un correo propio."),
    )


def message(request, page_id):
    event = _event(request, page_id)
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            archive.do_message_registrants(request.user, event, form.cleaned_data["subject"],
                                           form.cleaned_data["body"])
        except WebinarError as error:
            field = error.code if error.code in form.fields else None
            form.add_error(field, str(error))
        else:
            messages.success(request, _("Mensaje enviado a las personas inscritas en «%(title)s»."
                                        ) % {"title": event.title})
            return redirect("webinars_admin:registrants", event.pk)
    return TemplateResponse(request, "webinars/admin/message.html", {
        "event": event,
        "form": form,
        "registered": Registration.objects.for_webinar(event).registered().count(),
        "back_url": reverse("webinars_admin:registrants", args=[event.pk]),
        "page_title": _("Escribir a las personas inscritas"),
    }, status=400 if request.method == "POST" else 200)
