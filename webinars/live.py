"""The live room of an event: who may enter, and every write (questions, votes, polls,
moderation, attendance).

``check_*`` validates and checks permission (raises ``RoomError`` with a sentence for
the person), ``do_*`` writes in one transaction, ``notify_*`` announces the change after
commit to the room's group (``webinars.events.room_group``) with the id of the row.
Views (the page and its no-JavaScript forms) and the socket call the same functions.

Every write locks the room's row first (``LiveRoom``): question ids and change numbers
are then handed out in commit order, so a client resuming from "after id N, changes
after S" never skips a row committed late.
"""

from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from allas_site.accounts import roles
from allas_site.core import rate_limit
from allas_site.core.params import parse_id
from allas_site.core.text import single_line
from allas_site.realtime import send_event_on_commit
from community.sanitizer import clean_post, plain_text
from webinars.events import poll_events, question_event, room_group
from webinars.models import (
    LiveRoom,
    Poll,
    PollOption,
    PollStatus,
    PollVote,
    Question,
    QuestionStatus,
    QuestionVote,
    Registration,
    RegistrationStatus,
    WebinarPage,
    WebinarSpeaker,
)

OPENS_BEFORE = timedelta(minutes=30)
POLL_QUESTION_MAX = 200
POLL_OPTION_MAX = 120
POLL_OPTIONS = (2, 6)  # fewest, most
MODERATION_ACTIONS = ("answer", "unanswer", "highlight", "unhighlight", "hide", "show")


class RoomError(Exception):
    """An action that is not allowed or not valid; ``str(error)`` is for the person."""

    def __init__(self, message, code="invalid", status=400):
        super().__init__(message)
        self.code = code
        self.status = status


class RoomPermissionError(RoomError):
    def __init__(self, message, code="forbidden"):
        super().__init__(message, code=code, status=403)


def question_max_chars():
    return getattr(settings, "WEBINAR_QUESTION_MAX_CHARS", 500)


def question_rate_limit():
    """(questions, seconds) a person may ask; moderators are not limited."""
    return getattr(settings, "WEBINAR_QUESTION_RATE_LIMIT", (5, 60))


def vote_rate_limit():
    """(votes, seconds), question votes and poll votes together."""
    return getattr(settings, "WEBINAR_VOTE_RATE_LIMIT", (30, 60))


# --- who may enter, and when -------------------------------------------------------------


def opens_at(webinar):
    return webinar.starts_at - OPENS_BEFORE


def is_open(webinar, now=None):
    now = now or timezone.now()
    return not webinar.is_cancelled and opens_at(webinar) <= now <= webinar.ends_at


def is_room_moderator(user, webinar):
    """The event's moderator, staff, or the platform's Moderators."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.pk == webinar.moderator_id
        or user.is_staff
        or roles.has_role(user, roles.MODERATORS)
    )


class Access(NamedTuple):
    """What one person may do in one room. ``code``/``reason`` say why not, when not."""

    code: str = ""
    reason: str = ""
    moderator: bool = False
    speaker: bool = False
    registered: bool = False

    @property
    def allowed(self):
        return not self.code


def room_access(user, webinar, now=None):
    """Who ``user`` is in the room of ``webinar`` (any language's copy); two queries at
    most. Codes: ``login``, ``not_registered``, ``cancelled``, ``not_yet``, ``ended``."""
    if not user.is_authenticated or not user.is_active:
        return Access("login", _("Entra con tu cuenta para acceder a la sala."))
    return _access(
        webinar, now,
        moderator=is_room_moderator(user, webinar),
        speaker=webinar.speakers.filter(member=user).exists(),
        registered=Registration.objects.for_webinar(webinar).registered().filter(
            user=user).exists(),
    )


def _access(webinar, now=None, **who):
    """The rules of ``room_access``, once who the person is (``moderator``, ``speaker``,
    ``registered``) is known."""
    now = now or timezone.now()
    if not (who["moderator"] or who["speaker"] or who["registered"]):
        return Access("not_registered",
                      _("La sala es para las personas inscritas en el evento."), **who)
    if webinar.is_cancelled:
        return Access("cancelled", _("Este evento se ha cancelado."), **who)
    if now < opens_at(webinar):
        return Access("not_yet", _("La sala se abre 30 minutos antes del comienzo."), **who)
    if now > webinar.ends_at:
        return Access("ended", _("El evento ha terminado y la sala está cerrada."), **who)
    return Access(**who)


class Entry(NamedTuple):
    """What the room's socket needs when it opens (``enter_room``)."""

    webinar: WebinarPage
    access: Access
    last_question_id: int
    voted_polls: frozenset


def enter_room(user, webinar_id, now=None):
    """The socket's join in one read: the live event ``webinar_id`` (any language's
    copy, with its locale), who ``user`` is in its room, the room's newest question id
    and whether the person attended already, as subqueries of one query. Then, only
    when needed, the attendance (one UPDATE, the first time) and the polls the person
    voted in (one query, only when the room has polls). ``None`` when the event does
    not exist or is not live; ``entry.access`` says whether the person may enter.
    A join storm of 500 people is then 500 single reads instead of 3,500 queries."""
    now = now or timezone.now()
    if not user.is_authenticated or not user.is_active:
        return None
    key = OuterRef("translation_key")
    mine = Registration.objects.filter(webinar_key=key, user=user,
                                       status=RegistrationStatus.REGISTERED)
    webinar = (
        WebinarPage.objects.live().select_related("locale").filter(pk=webinar_id)
        .annotate(
            entry_registered=Exists(mine),
            entry_attended=Exists(mine.filter(attended_at__isnull=False)),
            entry_speaker=Exists(WebinarSpeaker.objects.filter(page=OuterRef("pk"),
                                                               member=user)),
            entry_moderators_group=Exists(
                Group.objects.filter(user=user, name=roles.MODERATORS)),
            entry_last_question=Subquery(
                LiveRoom.objects.filter(webinar_key=key).values("last_question_id")[:1]),
            entry_has_polls=Exists(Poll.objects.filter(webinar_key=key)),
        )
        .first()
    )
    if webinar is None:
        return None
    moderator = (user.pk == webinar.moderator_id or user.is_staff or user.is_superuser
                 or webinar.entry_moderators_group)
    access = _access(webinar, now, moderator=moderator, speaker=webinar.entry_speaker,
                     registered=webinar.entry_registered)
    if not access.allowed:
        return Entry(webinar, access, 0, frozenset())
    if webinar.entry_registered and not webinar.entry_attended:
        do_record_attendance(user, webinar, now)
    voted = frozenset(
        PollVote.objects.filter(poll__webinar_key=webinar.translation_key, user=user)
        .values_list("poll_id", flat=True)
    ) if webinar.entry_has_polls else frozenset()
    return Entry(webinar, access, webinar.entry_last_question or 0, voted)


def check_enter(user, webinar):
    access = room_access(user, webinar)
    if not access.allowed:
        raise RoomPermissionError(access.reason, code=access.code)
    return access


def check_moderate(user, webinar):
    access = check_enter(user, webinar)
    if not access.moderator:
        raise RoomPermissionError(_("Solo la moderación puede hacer esto."))
    return access


def _check_rate(user, webinar, action, limit):
    if is_room_moderator(user, webinar):
        return
    if not rate_limit.allow(action, user.pk, limit):
        raise RoomError(
            _("Vas muy deprisa: espera un momento antes de volver a intentarlo."),
            code="rate_limited", status=429,
        )


def check_question_text(source):
    """The question as plain text through the Café's one policy, or raise."""
    if not isinstance(source, str):
        raise RoomError(_("La pregunta debe ser texto."), code="bad_text")
    limit = question_max_chars()
    if len(source.strip()) > limit:
        raise RoomError(
            _("La pregunta es demasiado larga: %(length)s caracteres; el máximo es %(limit)s.")
            % {"length": len(source.strip()), "limit": limit},
            code="too_long",
        )
    text = single_line(plain_text(clean_post(source)))
    if not text:
        raise RoomError(_("La pregunta está vacía."), code="empty")
    return text


def check_ask(user, webinar, source):
    check_enter(user, webinar)
    text = check_question_text(source)
    _check_rate(user, webinar, "webinar-question", question_rate_limit())
    return text


def _question_of(webinar, question_id):
    question_id = parse_id(question_id)
    question = question_id and (
        Question.objects.for_webinar(webinar).select_related("author")
        .filter(pk=question_id).first()
    )
    if not question:
        raise RoomError(_("Esa pregunta no existe en esta sala."), code="no_question")
    return question


def _poll_of(webinar, poll_id):
    poll_id = parse_id(poll_id)
    poll = poll_id and (
        Poll.objects.filter(webinar_key=webinar.translation_key, pk=poll_id).first()
    )
    if not poll:
        raise RoomError(_("Esa encuesta no existe en esta sala."), code="no_poll")
    return poll


# --- writes ---------------------------------------------------------------------------------


def _lock_room(webinar):
    """The room's row, locked until the transaction ends (created on first use)."""
    LiveRoom.objects.get_or_create(webinar_key=webinar.translation_key)
    return LiveRoom.objects.select_for_update().get(webinar_key=webinar.translation_key)


def _next_seq(room):
    room.change_seq += 1
    return room.change_seq


def _original(webinar):
    """The event's page in the default language, which rows point at (any copy will do
    when there is none)."""
    if webinar.locale.language_code == settings.LANGUAGE_CODE:
        return webinar
    return (
        WebinarPage.objects.filter(translation_key=webinar.translation_key,
                                   locale__language_code=settings.LANGUAGE_CODE).first()
        or webinar
    )


def do_ask(user, webinar, source):
    """Ask a question; runs in one transaction. Returns the question."""
    text = check_ask(user, webinar, source)
    page = _original(webinar)
    with transaction.atomic():
        room = _lock_room(webinar)
        question = Question.objects.create(
            webinar=page, webinar_key=webinar.translation_key, author=user, text=text,
            change_seq=_next_seq(room),
        )
        prev, room.last_question_id = room.last_question_id, question.pk
        room.save(update_fields=["last_question_id", "change_seq"])
        notify_question(question, "question.created", prev=prev)
    return question


@transaction.atomic
def do_import_question(author, webinar, source, *, asked_at, answered=True, voters=()):
    """Record a question of an event that is over (imports, demo content): the same
    text policy as ``do_ask`` but no room-open check, no rate limit and no live event
    (nobody is in a closed room). ``voters`` each give it one vote. Returns it."""
    text = check_question_text(source)
    page = _original(webinar)
    room = _lock_room(webinar)
    question = Question.objects.create(
        webinar=page, webinar_key=webinar.translation_key, author=author, text=text,
        status=QuestionStatus.ANSWERED if answered else QuestionStatus.VISIBLE,
        votes=len(voters), created_at=asked_at, change_seq=_next_seq(room),
    )
    QuestionVote.objects.bulk_create(
        [QuestionVote(question=question, user=voter) for voter in voters])
    room.last_question_id = question.pk
    room.save(update_fields=["last_question_id", "change_seq"])
    return question


def do_toggle_vote(user, webinar, question_id):
    """Vote for a question, or take the vote back. Returns (question, voted)."""
    check_enter(user, webinar)
    question = _question_of(webinar, question_id)
    if question.status == QuestionStatus.HIDDEN:
        raise RoomError(_("No se puede votar una pregunta oculta."), code="hidden")
    _check_rate(user, webinar, "webinar-vote", vote_rate_limit())
    with transaction.atomic():
        room = _lock_room(webinar)
        deleted, _rows = QuestionVote.objects.filter(question=question, user=user).delete()
        voted = not deleted
        if voted:
            QuestionVote.objects.create(question=question, user=user)
        Question.objects.filter(pk=question.pk).update(
            votes=F("votes") + (1 if voted else -1), change_seq=_next_seq(room)
        )
        room.save(update_fields=["change_seq"])
        question.refresh_from_db(fields=["votes", "change_seq", "status"])
        notify_vote(question)
    return question, voted


def do_moderate_question(user, webinar, question_id, action):
    """``action`` one of MODERATION_ACTIONS. Highlighting one question takes the
    highlight from the others (the one being answered). Returns the question."""
    check_moderate(user, webinar)
    if action not in MODERATION_ACTIONS:
        raise RoomError(_("Esa acción no existe."), code="bad_action")
    question = _question_of(webinar, question_id)
    with transaction.atomic():
        room = _lock_room(webinar)
        question = (Question.objects.select_for_update(of=("self",))
                    .select_related("author").get(pk=question.pk))
        if action == "highlight":
            others = list(
                Question.objects.for_webinar(webinar).filter(highlighted=True)
                .exclude(pk=question.pk).select_related("author")
            )
            for other in others:
                other.highlighted = False
                other.change_seq = _next_seq(room)
                other.save(update_fields=["highlighted", "change_seq"])
                notify_question(other, "question.updated")
        if action in ("highlight", "unhighlight"):
            question.highlighted = action == "highlight"
        else:
            question.status = {
                "answer": QuestionStatus.ANSWERED, "hide": QuestionStatus.HIDDEN,
            }.get(action, QuestionStatus.VISIBLE)
            if question.status == QuestionStatus.HIDDEN:
                question.highlighted = False
        question.change_seq = _next_seq(room)
        question.save(update_fields=["status", "highlighted", "change_seq"])
        room.save(update_fields=["change_seq"])
        notify_question(question, "question.updated")
    return question


def check_poll(question, options):
    question = single_line(question if isinstance(question, str) else "")
    if not question:
        raise RoomError(_("La encuesta necesita una pregunta."), code="empty")
    if len(question) > POLL_QUESTION_MAX:
        raise RoomError(_("La pregunta admite como máximo %(limit)s caracteres.")
                        % {"limit": POLL_QUESTION_MAX}, code="too_long")
    if not isinstance(options, list | tuple):
        options = []
    options = [single_line(o) for o in options if isinstance(o, str) and single_line(o)]
    fewest, most = POLL_OPTIONS
    if not fewest <= len(options) <= most:
        raise RoomError(_("Una encuesta tiene entre %(fewest)s y %(most)s opciones.")
                        % {"fewest": fewest, "most": most}, code="bad_options")
    if any(len(option) > POLL_OPTION_MAX for option in options):
        raise RoomError(_("Cada opción admite como máximo %(limit)s caracteres.")
                        % {"limit": POLL_OPTION_MAX}, code="too_long")
    return question, options


def do_open_poll(user, webinar, question, options):
    """Open a single-choice poll (the room's open polls stay open). Returns the poll."""
    check_moderate(user, webinar)
    question, options = check_poll(question, options)
    page = _original(webinar)
    with transaction.atomic():
        room = _lock_room(webinar)
        poll = Poll.objects.create(webinar=page, webinar_key=webinar.translation_key,
                                   question=question, opened_by=user,
                                   change_seq=_next_seq(room))
        PollOption.objects.bulk_create(
            [PollOption(poll=poll, text=text, position=n) for n, text in enumerate(options)]
        )
        room.save(update_fields=["change_seq"])
        notify_poll(poll, "poll.opened")
    return poll


def do_vote_poll(user, webinar, poll_id, option_id):
    """One vote per person and poll, while it is open. Returns the poll."""
    check_enter(user, webinar)
    poll = _poll_of(webinar, poll_id)
    option_id = parse_id(option_id)
    option = option_id and poll.options.filter(pk=option_id).first()
    if not option:
        raise RoomError(_("Esa opción no existe en esta encuesta."), code="no_option")
    _check_rate(user, webinar, "webinar-vote", vote_rate_limit())
    with transaction.atomic():
        room = _lock_room(webinar)
        poll = Poll.objects.get(pk=poll.pk)
        if not poll.is_open:
            raise RoomError(_("La encuesta está cerrada."), code="poll_closed")
        if PollVote.objects.filter(poll=poll, user=user).exists():
            raise RoomError(_("Ya has votado en esta encuesta."), code="already_voted")
        try:
            with transaction.atomic():
                PollVote.objects.create(poll=poll, option=option, user=user)
        except IntegrityError as error:  # the same person from two tabs at once
            raise RoomError(_("Ya has votado en esta encuesta."),
                            code="already_voted") from error
        PollOption.objects.filter(pk=option.pk).update(votes=F("votes") + 1)
        poll.votes += 1
        poll.change_seq = _next_seq(room)
        Poll.objects.filter(pk=poll.pk).update(votes=F("votes") + 1,
                                               change_seq=poll.change_seq)
        room.save(update_fields=["change_seq"])
        notify_poll(poll, "poll.voted", voter=user.pk)
    return poll


def do_close_poll(user, webinar, poll_id):
    check_moderate(user, webinar)
    poll = _poll_of(webinar, poll_id)
    with transaction.atomic():
        room = _lock_room(webinar)
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        if poll.is_open:
            poll.status, poll.closed_at = PollStatus.CLOSED, timezone.now()
            poll.change_seq = _next_seq(room)
            poll.save(update_fields=["status", "closed_at", "change_seq"])
            room.save(update_fields=["change_seq"])
            notify_poll(poll, "poll.closed")
    return poll


def do_record_attendance(user, webinar, now=None):
    """Mark a registered person as attending when they open the room while the event
    is live; the first time is kept. One UPDATE; True when this call recorded it."""
    now = now or timezone.now()
    if not user.is_authenticated or not webinar.is_live(now) or webinar.is_cancelled:
        return False
    return bool(
        Registration.objects.for_webinar(webinar).registered()
        .filter(user=user, attended_at__isnull=True).update(attended_at=now)
    )


# --- events, after commit --------------------------------------------------------------------


def notify_question(question, kind, prev=None):
    send_event_on_commit(room_group(question.webinar_key),
                         question_event(question, kind, prev=prev))


def notify_vote(question):
    send_event_on_commit(room_group(question.webinar_key),
                         {"type": "question.voted", "id": question.pk, "votes": question.votes})


def notify_poll(poll, kind, voter=None):
    """Counts go to moderators and to whoever voted in the poll (the consumer knows who
    did: ``voter`` travels beside the text); closed polls show them to everyone."""
    options = list(poll.options.all())
    with_counts, without = poll_events(poll, options, kind)
    if kind == "poll.closed":
        send_event_on_commit(room_group(poll.webinar_key), with_counts)
    else:
        send_event_on_commit(room_group(poll.webinar_key), with_counts, guest_event=without,
                             voter=voter)
