"""Every write of the consultations: participants, responses, moderation of texts, the
return and its notifications, the relatoría.

``check_*`` validates and checks permission (raises ``ConsultationError`` with a
sentence for the person, and per-question ``errors``; nothing is written), ``do_*``
writes in one transaction, ``notify_*`` announces after commit.

One response per person and consultation: a unique constraint, and the response is
taken with ``get_or_create`` then locked (``select_for_update``) inside the
transaction, so two submissions of the same person at once are applied one after the
other and never make two rows. Counted facts (``Answer`` rows) are rebuilt from the
response at each submission, in the same transaction.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from allas_site.accounts import roles
from allas_site.core.page_tree import original_page as original_of
from allas_site.core.text import single_line
from allas_site.realtime import send_event_on_commit
from community.sanitizer import clean_post
from participation.consultations import survey
from participation.consultations.events import consultation_group
from participation.consultations.models import (
    Answer,
    ConsultationPage,
    Participant,
    Response,
    ResponseStatus,
    ResultsVisibility,
    Sector,
    Tally,
    TextStatus,
)

CITY_MAX = 120


class ConsultationError(Exception):
    """A refused action; ``str(error)`` is for the person, ``errors`` per question id
    (``"__all__"`` for the whole form), ``status`` for HTTP."""

    def __init__(self, message, *, code="invalid", status=400, errors=None):
        super().__init__(message)
        self.code = code
        self.status = status
        self.errors = errors or {}


# --- Reading ------------------------------------------------------------------------------


def questions_for(page, original=None):
    """The original's questions, worded in ``page``'s language where translated."""
    original = original or original_of(page)
    questions = survey.questions_of(original.survey)
    if page.pk == original.pk or page.alias_of_id:
        return questions
    return survey.translated_questions(questions, survey.questions_of(page.survey))


def participant_of(user):
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(user=user).first()


def response_of(user, consultation):
    if not getattr(user, "is_authenticated", False):
        return None
    return Response.objects.filter(consultation=consultation, user=user).first()


def is_site_editor(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and (user.is_superuser or roles.has_role(user, roles.EDITORS)))


def is_consultation_editor(user, consultation):
    """Site editors, and the consultation's own people: its team, and the people of the
    owning city or network who may edit its page. Only they moderate texts, export
    and read individual answers; another city's editors may not."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_site_editor(user):
        return True
    if consultation.team.filter(pk=user.pk).exists():
        return True
    if consultation.owner_partner_id is None:
        return False
    in_partner = consultation.owner_partner.people.filter(pk=user.pk).exists()
    return in_partner and consultation.permissions_for_user(user).can_edit()


def check_consultation_editor(user, consultation):
    if not is_consultation_editor(user, consultation):
        raise ConsultationError(
            _("Solo el equipo de esta consulta puede ver sus respuestas."),
            code="forbidden", status=403)


def can_see_results(user, consultation, response=None, now=None):
    """Everyone once the consultation is closed; while it is open, per the editor's
    choice, the people who have submitted their answers; editors always."""
    if consultation.is_closed(now):
        return True
    if consultation.results_visibility == ResultsVisibility.AFTER_ANSWER:
        if response is None:
            response = response_of(user, consultation)
        if response is not None and response.is_submitted:
            return True
    return is_consultation_editor(user, consultation)


# --- Participants ----------------------------------------------------------------------------


def check_participant(sector, city):
    errors = {}
    if sector not in Sector.values:
        errors["sector"] = _("Elige tu sector.")
    city = single_line(city or "") if isinstance(city, str) else ""
    if not city:
        errors["city"] = _("Indica tu ciudad.")
    elif len(city) > CITY_MAX:
        errors["city"] = _("La ciudad tiene como máximo %(limit)s caracteres.") % {
            "limit": CITY_MAX}
    if errors:
        raise ConsultationError(_("Revisa tu sector y tu ciudad."), errors=errors)
    return sector, city


@transaction.atomic
def do_save_participant(user, sector, city):
    """Create or update the person's participant profile (sector and city)."""
    if not getattr(user, "is_authenticated", False):
        raise ConsultationError(_("Inicia sesión para participar."), code="login", status=403)
    sector, city = check_participant(sector, city)
    participant, created = Participant.objects.get_or_create(
        user=user, defaults={"sector": sector, "city": city})
    if not created and (participant.sector, participant.city) != (sector, city):
        participant.sector, participant.city = sector, city
        participant.save(update_fields=["sector", "city", "updated_at"])
    return participant


# --- Responses -------------------------------------------------------------------------------


def check_can_answer(user, consultation, now=None):
    if not getattr(user, "is_authenticated", False):
        raise ConsultationError(_("Inicia sesión para participar."), code="login", status=403)
    if not user.is_active:
        raise ConsultationError(_("Tu cuenta no está activa."), code="forbidden", status=403)
    if not consultation.live:
        raise ConsultationError(_("Esta consulta no está publicada."), code="not_live",
                                status=404)
    if not consultation.is_open(now):
        if consultation.is_closed(now):
            raise ConsultationError(
                _("La consulta está cerrada: ya no se pueden enviar ni cambiar respuestas."),
                code="closed", status=409)
        raise ConsultationError(_("La consulta todavía no está abierta."), code="not_open",
                                status=409)


def check_answers(questions, raw, *, submit):
    cleaned = survey.clean_answers(questions, raw, complete=submit)
    if cleaned.errors:
        raise ConsultationError(
            _("Revisa las respuestas marcadas.") if submit or len(cleaned.errors) > 1
            else next(iter(cleaned.errors.values())),
            errors=cleaned.errors)
    return cleaned.answers


def _answer_rows(response, questions, answers):
    rows = []
    for question in questions:
        value = answers.get(question.id)
        if value is None:
            continue
        base = {"response": response, "consultation_id": response.consultation_id,
                "question_id": question.id, "sector": response.sector}
        if question.kind == "single_choice":
            rows.append(Answer(option=value, **base))
        elif question.kind == "multiple_choice":
            rows.extend(Answer(option=option, **base) for option in value)
        elif question.kind == "ranking":
            rows.extend(Answer(option=option, position=number, **base)
                        for number, option in enumerate(value, start=1))
        elif question.kind == "scale":
            rows.append(Answer(option=str(value), position=value, **base))
        elif question.is_text:
            rows.append(Answer(text=value, text_html=clean_post(value),
                               text_status=TextStatus.PENDING, **base))
    return rows


def _keep_moderation(old_rows, new_rows):
    """An unchanged text keeps its moderation: editing another answer does not send a
    published text back to the queue."""
    decided = {(row.question_id, row.text): row for row in old_rows}
    for row in new_rows:
        if row.text_status and (row.question_id, row.text) in decided:
            old = decided[(row.question_id, row.text)]
            row.text_status, row.moderated_by_id, row.moderated_at = (
                old.text_status, old.moderated_by_id, old.moderated_at)


def _tally(consultation):
    tally, _created = Tally.objects.get_or_create(consultation=consultation)
    return tally


def _bump(consultation, response_id=0):
    """Raise the change number (the row lock serialises concurrent submissions) and
    announce it after commit. Returns the new number."""
    Tally.objects.filter(pk=consultation.pk).update(
        change_seq=F("change_seq") + 1,
        last_response_id=response_id or F("last_response_id"),
    )
    seq = Tally.objects.filter(pk=consultation.pk).values_list("change_seq", flat=True).get()
    notify_results_changed(consultation, seq, response_id)
    return seq


def do_save_response(user, page, raw_answers, *, submit, sector=None, city=None, now=None):
    """Save ``user``'s answers to the consultation of ``page`` (any language's copy):
    as a draft (``submit=False``: only what is filled in is checked), or submitted
    (required questions too; counted from then on). ``sector``/``city`` create or
    update the person's participant profile first (required at first participation).

    Runs in one transaction; on any problem raises ``ConsultationError`` and changes
    nothing. Returns the response."""
    consultation = original_of(page)
    check_can_answer(user, consultation, now)
    questions = questions_for(page, consultation)
    answers = check_answers(questions, raw_answers, submit=submit)
    with transaction.atomic():
        if sector is not None or city is not None:
            participant = do_save_participant(user, sector, city)
        else:
            participant = participant_of(user)
            if participant is None:
                raise ConsultationError(
                    _("Indica tu sector y tu ciudad antes de responder."),
                    errors={"sector": _("Elige tu sector."), "city": _("Indica tu ciudad.")})
        _tally(consultation)
        response, _created = Response.objects.get_or_create(
            consultation=consultation, user=user,
            defaults={"sector": participant.sector, "city": participant.city},
        )
        # Lock the row: the same person submitting twice at once is applied in turn.
        response = Response.objects.select_for_update().get(pk=response.pk)
        was_submitted = response.is_submitted
        if was_submitted and not submit:
            raise ConsultationError(
                _("Tus respuestas ya están enviadas: para cambiarlas, envíalas de nuevo."),
                code="already_submitted", status=409)
        response.answers = answers
        response.sector, response.city = participant.sector, participant.city
        response.language = page.locale.language_code if page.locale_id else ""
        fields = ["answers", "sector", "city", "language", "updated_at"]
        if submit:
            response.status = ResponseStatus.SUBMITTED
            response.submitted_at = timezone.now()
            fields += ["status", "submitted_at"]
        response.save(update_fields=fields)
        if submit:
            old_rows = list(response.rows.exclude(text_status=""))
            response.rows.all().delete()
            rows = _answer_rows(response, questions, answers)
            _keep_moderation(old_rows, rows)
            Answer.objects.bulk_create(rows)
            _bump(consultation, response.pk)
    return response


@transaction.atomic
def do_delete_response(user, page):
    """Delete the person's response and its answers (drafts too). Allowed at any time:
    a person's data is theirs to remove; the counts go down accordingly."""
    if not getattr(user, "is_authenticated", False):
        raise ConsultationError(_("Inicia sesión para participar."), code="login", status=403)
    consultation = original_of(page)
    response = (Response.objects.select_for_update()
                .filter(consultation=consultation, user=user).first())
    if response is None:
        raise ConsultationError(_("No tienes respuestas en esta consulta."), code="none",
                                status=404)
    counted = response.is_submitted
    response.delete()
    if counted:
        _tally(consultation)
        _bump(consultation)
    return True


@transaction.atomic
def do_delete_all_responses(user):
    """Every response of ``user`` (their data deletion). Returns how many."""
    consultations = set(
        Response.objects.filter(user=user).submitted().values_list("consultation_id", flat=True)
    )
    count, _rows = Response.objects.filter(user=user).delete()
    for consultation in ConsultationPage.objects.filter(pk__in=consultations):
        _tally(consultation)
        _bump(consultation)
    return count


def notify_results_changed(consultation, seq, response_id=0):
    """``results.changed`` to the consultation's results sockets, after commit. It
    carries no counts: each socket reads them (coalesced) from the database."""
    send_event_on_commit(
        consultation_group(consultation.pk),
        {"type": "results.changed", "id": response_id or 0, "seq": seq},
    )


# --- Moderation of open-text answers ------------------------------------------------------


MODERATION_ACTIONS = {"approve": TextStatus.APPROVED, "reject": TextStatus.REJECTED}


@transaction.atomic
def do_moderate_texts(user, consultation, answer_ids, action):
    """Approve or reject open-text answers of ``consultation``; only its editors.
    Returns how many changed."""
    consultation = original_of(consultation)
    check_consultation_editor(user, consultation)
    status = MODERATION_ACTIONS.get(action)
    if status is None:
        raise ConsultationError(_("Acción de moderación desconocida."), code="bad_action")
    if not isinstance(answer_ids, list | tuple) or not answer_ids:
        raise ConsultationError(_("Elige al menos una respuesta."), code="no_answers")
    changed = (
        Answer.objects.filter(consultation=consultation, pk__in=answer_ids)
        .exclude(text_status="").exclude(text_status=status)
        .update(text_status=status, moderated_by=user, moderated_at=timezone.now())
    )
    if changed:
        _tally(consultation)
        _bump(consultation)
    return changed


# --- Return and relatoría -------------------------------------------------------------------


def check_publish_return(user, consultation, now=None):
    check_consultation_editor(user, consultation)
    if not consultation.live:
        raise ConsultationError(_("Publica antes la consulta."), code="not_live")
    if not consultation.is_closed(now):
        raise ConsultationError(_("La devolución se publica cuando la consulta ha cerrado."),
                                code="not_closed")
    if consultation.return_published_at:
        raise ConsultationError(_("La devolución ya está publicada."), code="published",
                                status=409)
    if not (consultation.return_text or "").strip():
        raise ConsultationError(
            _("Escribe la devolución en la página (y publícala) antes de anunciarla."),
            code="no_text")


def do_publish_return(user, page, now=None):
    """Open the return phase on every language's copy of the consultation and tell
    every person who answered (in-app notification and e-mail, after commit)."""
    consultation = original_of(page)
    check_publish_return(user, consultation, now)
    with transaction.atomic():
        when = timezone.now()
        ConsultationPage.objects.filter(translation_key=consultation.translation_key).update(
            return_published_at=when)
        consultation.return_published_at = when
        people = list(Response.objects.filter(consultation=consultation).submitted()
                      .values_list("pk", flat=True))
        transaction.on_commit(lambda: notify_return(consultation.pk, people))
        _tally(consultation)
        _bump(consultation)
    return consultation


def notify_return(consultation_id, response_ids):
    from participation.consultations import tasks

    for response_id in response_ids:
        tasks.notify_return_published.enqueue(response_id)


def do_create_relatoria(user, page):
    """The results as a draft relatoría of the Cuadernos collection, submitted to its
    workflow (the Café's path: ``publications.services.do_create_relatoria_draft``)."""
    from allas_site.core.navigation import absolute_url
    from allas_site.publications.services import do_create_relatoria_draft
    from participation.consultations import results

    consultation = original_of(page)
    check_consultation_editor(user, consultation)
    if not consultation.is_closed():
        raise ConsultationError(_("La relatoría se prepara cuando la consulta ha cerrado."),
                                code="not_closed")
    summary = results.results_for(consultation, questions_for(consultation, consultation))
    source = absolute_url(consultation) or ""
    with transaction.atomic():
        page = do_create_relatoria_draft(
            user,
            title=_("Relatoría: %(title)s") % {"title": consultation.title},
            body_html=results.relatoria_html(consultation, summary, source),
            source_url=source,
        )
    return page
