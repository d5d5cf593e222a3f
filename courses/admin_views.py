"""Wagtail admin views for course editors: reports, bulk enrolment, certificates."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.models import Locale

from allas_site.core.params import parse_id
from courses import reports, services
from courses.models import Certificate, CoursePage

MAX_CSV_BYTES = 1024 * 1024


def _require_editor(request):
    if not services.is_course_editor(request.user):
        raise PermissionDenied


def _course_choices():
    return CoursePage.objects.filter(locale=Locale.get_default()).order_by("title")


# --- Reports ---------------------------------------------------------------------------------


def report(request):
    _require_editor(request)
    course = None
    course_id = parse_id(request.GET.get("curso", ""))
    if course_id is not None:
        course = _course_choices().filter(pk=course_id).first()
    rows = reports.course_rows()
    questions = reports.question_rows(course) if course else []
    export = request.GET.get("exportar")
    if export in {"csv", "xlsx"}:
        if course is not None:
            header, body = reports.table(reports.QUESTION_COLUMNS, questions)
            name = f"preguntas-{slugify(course.title)[:40]}"
        else:
            header, body = reports.table(reports.COURSE_COLUMNS, rows)
            name = "cursos"
        if export == "csv":
            response = HttpResponse(reports.to_csv(header, body),
                                    content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                reports.to_xlsx(header, body, name),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{export}"'
        return response
    points = reports.timeline(course)
    return TemplateResponse(request, "courses/admin/report.html", {
        "rows": rows,
        "course": course,
        "courses": _course_choices(),
        "questions": questions,
        "points": points,
        "chart": mark_safe(reports.timeline_svg(points)),  # noqa: S308 - built and escaped in reports
        "page_title": _("Informes de cursos"),
    })


# --- Bulk enrolment -----------------------------------------------------------------------------


class BulkEnrollmentForm(forms.Form):
    course = forms.ModelChoiceField(label=gettext_lazy("Curso"), queryset=CoursePage.objects.none())
    csv_file = forms.FileField(
        label=gettext_lazy("Archivo CSV"), required=False,
        help_text=gettext_lazy("Una dirección de correo por fila, en la primera columna."),
    )
    emails = forms.CharField(
        label=gettext_lazy("O pega las direcciones"), required=False, widget=forms.Textarea,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")

    def clean(self):
        data = super().clean()
        upload = data.get("csv_file")
        text = data.get("emails") or ""
        if upload:
            if upload.size > MAX_CSV_BYTES:
                raise forms.ValidationError(_("El archivo es demasiado grande (máximo 1 MB)."))
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(_("El archivo debe estar en UTF-8.")) from error
        if not text.strip():
            raise forms.ValidationError(_("Sube un archivo CSV o pega al menos una dirección."))
        data["text"] = text
        return data


def bulk_enrollment(request):
    _require_editor(request)
    form = BulkEnrollmentForm(request.POST or None, request.FILES or None)
    rows = None
    if request.method == "POST" and form.is_valid():
        course = form.cleaned_data["course"]
        text = form.cleaned_data["text"]
        try:
            if request.POST.get("confirm"):
                rows = services.do_bulk_enroll(request.user, course, text)
                enrolled = sum(1 for row in rows if row.action == "enrol")
                invited = sum(1 for row in rows if row.action == "invite")
                errors = sum(1 for row in rows if row.action == "error")
                messages.success(request, _(
                    "%(enrolled)s personas inscritas y %(invited)s invitadas en «%(course)s»; "
                    "%(errors)s filas con errores no se procesaron."
                ) % {"enrolled": enrolled, "invited": invited, "errors": errors,
                     "course": course.title})
                return redirect("courses_admin:bulk_enrollment")
            services.check_can_bulk_enroll(request.user, course)
            rows = services.preview_bulk_enrollment(course, services.parse_bulk_csv(text))
        except services.CourseError as error:
            form.add_error(None, str(error))
            rows = None
        if rows is not None:
            form = BulkEnrollmentForm(initial={"course": course, "emails": text})
    counts = {}
    for row in rows or []:
        counts[row.action] = counts.get(row.action, 0) + 1
    return TemplateResponse(request, "courses/admin/bulk_enrollment.html", {
        "form": form,
        "rows": rows,
        "counts": counts,
        "page_title": _("Inscripción masiva"),
    })


# --- Certificates ---------------------------------------------------------------------------------


def certificates(request):
    _require_editor(request)
    queryset = Certificate.objects.select_related("revoked_by")
    query = request.GET.get("q", "").strip()
    if query:
        queryset = queryset.filter(
            Q(code__icontains=query) | Q(learner_name__icontains=query)
            | Q(course_title__icontains=query)
        )
    page_obj = Paginator(queryset, 50).get_page(request.GET.get("pagina"))
    return TemplateResponse(request, "courses/admin/certificates.html", {
        "page_obj": page_obj,
        "query": query,
        "page_title": _("Certificados"),
    })


@require_POST
def revoke_certificate(request, pk):
    _require_editor(request)
    certificate = get_object_or_404(Certificate, pk=pk)
    try:
        services.do_revoke_certificate(request.user, certificate,
                                       request.POST.get("reason", "").strip())
    except services.CourseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Certificado %(code)s revocado.") % {"code": certificate.code})
    return redirect(reverse("courses_admin:certificates"))
