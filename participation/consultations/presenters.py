"""What the consultation templates show, computed here (not in templates, not in views)
so the page model, the views and the results socket share it."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from allas_site.core.page_tree import with_content_language
from participation.consultations import results, services
from participation.consultations.models import (
    ConsultationPage,
    Phase,
    Response,
    ResponseStatus,
    Sector,
    Tally,
)


def phases(consultation, now=None):
    """The timeline (information → consultation → return) with the current step."""
    current = consultation.phase(now)
    order = [Phase.INFORMATION, Phase.CONSULTATION, Phase.CLOSED, Phase.RETURN]
    steps = [
        (Phase.INFORMATION, _("Información"), consultation.information_from, None),
        (Phase.CONSULTATION, _("Consulta"), consultation.opens_at, consultation.closes_at),
        (Phase.RETURN, _("Devolución de resultados"),
         consultation.return_published_at or consultation.return_expected_on, None),
    ]
    at = order.index(current)
    out = []
    for phase, label, start, end in steps:
        position = order.index(phase)
        if phase == Phase.RETURN:
            state = "current" if current == Phase.RETURN else "next"
        elif position < at or (phase == Phase.CONSULTATION and current == Phase.CLOSED):
            state = "done"
        elif position == at:
            state = "current"
        else:
            state = "next"
        out.append({"key": phase.value, "label": label, "start": start, "end": end,
                    "state": state})
    return out


def index_context(request, index):
    now = timezone.now()
    pages = list(
        with_content_language(
            ConsultationPage.objects.child_of(index).live().public()
            .select_related("owner_partner", "alias_of")
        ).order_by("-opens_at")
    )
    # Counts belong to the originals: one query for all of them.
    original_ids = {page.alias_of_id or page.pk for page in pages}
    translated = [page for page in pages if not page.alias_of_id]
    keys = {page.translation_key for page in translated}
    originals = dict(
        ConsultationPage.objects.filter(translation_key__in=keys, alias_of__isnull=True)
        .order_by("translation_key", "pk").values_list("translation_key", "pk")
    ) if keys else {}
    for page in translated:
        original_ids.add(originals.get(page.translation_key, page.pk))
    counts = dict(
        Response.objects.filter(consultation_id__in=original_ids, status=ResponseStatus.SUBMITTED)
        .values_list("consultation_id").annotate(n=Count("id")).order_by()
    )
    open_, others = [], []
    for page in pages:
        original_id = page.alias_of_id or originals.get(page.translation_key, page.pk)
        page.responses_count = counts.get(original_id, 0)
        page.current_phase = page.phase(now)
        (open_ if page.current_phase == Phase.CONSULTATION else others).append(page)
    return {"open_consultations": open_, "other_consultations": others}


def consultation_context(request, page):
    consultation = services.original_of(page)
    user = request.user
    response = services.response_of(user, consultation)
    debate = None
    if consultation.related_debate_id:
        from community.models import Debate
        from community.permissions import can_read_debate

        debate = Debate.objects.select_related("category").filter(
            pk=consultation.related_debate_id).first()
        if debate is not None and not can_read_debate(user, debate):
            debate = None  # members-only categories stay hidden from who may not read them
    return {
        "related_debate": debate,
        "consultation": consultation,
        "phase": consultation.phase(),
        "phases": phases(consultation),
        "response": response,
        "may_see_results": services.can_see_results(user, consultation, response),
        "is_editor": services.is_consultation_editor(user, consultation),
        "responses_count": Response.objects.submitted().filter(
            consultation=consultation).count(),
        "questions_count": len(consultation.survey or ()),
    }


def form_questions(questions, values, errors):
    """Questions with what the form shows: the person's value and the error."""
    shown = []
    for question in questions:
        value = values.get(question.id)
        entry = {"q": question, "name": f"q-{question.id}", "value": value,
                 "error": errors.get(question.id)}
        if question.kind == "ranking":
            if isinstance(value, list):
                positions = {oid: n for n, oid in enumerate(value, start=1)}
            elif isinstance(value, dict):
                positions = value
            else:
                positions = {}
            entry["positions"] = [
                (oid, label, positions.get(oid)) for oid, label in question.options]
            entry["choices"] = range(1, len(question.options) + 1)
        elif question.kind == "multiple_choice":
            entry["selected"] = set(value) if isinstance(value, list) else set()
        elif question.kind == "scale":
            entry["choices"] = [str(v) for v in range(1, 6)]
            entry["value"] = str(value) if value is not None else ""
        shown.append(entry)
    return shown


def results_context(page, *, user=None):
    consultation = services.original_of(page)
    questions = services.questions_for(page, consultation)
    summary = results.results_for(consultation, questions)
    charts = []
    for number, result in enumerate(summary.questions, start=1):
        charts.append({
            "result": result,
            "svg": results.chart_svg(result, summary.groups, f"grafico-{number}"),
            "table_id": f"tabla-{number}",
        })
    seq = Tally.objects.filter(pk=consultation.pk).values_list("change_seq", flat=True).first()
    return {
        "consultation": consultation,
        "summary": summary,
        "charts": charts,
        "legend": results.legend_html(summary.groups),
        "min_group": results.MIN_GROUP,
        "seq": seq or 0,
    }


def participation_report(consultation):
    """Submitted responses by sector and by city, and by week, for the editors' report
    (three queries)."""
    from django.db.models.functions import TruncWeek

    submitted = Response.objects.submitted().filter(consultation=consultation)
    sector_labels = dict(Sector.choices)
    by_sector = [
        (sector_labels.get(sector, sector), n) for sector, n in
        submitted.values_list("sector").annotate(n=Count("id")).order_by("-n")
    ]
    by_city = list(submitted.values_list("city").annotate(n=Count("id")).order_by("-n", "city"))
    weeks = {}
    for week, sector, n in (
        submitted.annotate(week=TruncWeek("submitted_at"))
        .values_list("week", "sector").annotate(n=Count("id")).order_by("week")
    ):
        weeks.setdefault(week, {})[sector] = n
    sectors = list(Sector)
    by_week = [
        (week, [counts.get(s.value, 0) for s in sectors], sum(counts.values()))
        for week, counts in weeks.items()
    ]
    drafts = Response.objects.filter(consultation=consultation,
                                     status=ResponseStatus.DRAFT).count()
    return {"by_sector": by_sector, "by_city": by_city, "by_week": by_week,
            "sectors": [s.label for s in sectors], "drafts": drafts}


def moderation_queue(consultation, status="pending"):
    from participation.consultations.models import Answer

    questions = {q.id: q for q in services.questions_for(consultation, consultation)}
    rows = list(
        Answer.objects.filter(consultation=consultation, text_status=status)
        .order_by("id").values("pk", "question_id", "text_html", "sector")[:200]
    )
    for row in rows:
        question = questions.get(row["question_id"])
        row["question"] = question.label if question else "?"
        row["sector_label"] = dict(Sector.choices).get(row["sector"], "")
    return rows


def pending_count(consultation):
    from participation.consultations.models import Answer

    return Answer.objects.filter(consultation=consultation).aggregate(
        n=Count("id", filter=Q(text_status="pending")))["n"]
