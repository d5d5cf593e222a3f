"""The live room of an event: questions and their votes, polls and theirs.

Like registrations, everything points at the event's ``translation_key``
(``webinar_key``): the people in ``/sala/`` and in ``/en/.../sala/`` share one room.
``LiveRoom`` is the room's row: locked by every write (``webinars.live``) so that
question ids and change numbers are handed out in commit order, which is what lets a
client catch up by "everything after id N / change S" without ever skipping a row.
Every write goes through ``webinars.live``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allas_site.core.text import SingleLineCharField
from webinars.models.events import WebinarPage


class LiveRoom(models.Model):
    webinar_key = models.UUIDField(_("clave del evento"), unique=True, editable=False)
    # The newest question's id (a ``question.created`` event carries the one before it,
    # so a client sees a gap) and the room's change number (``Question``/``Poll``
    # ``change_seq``: what a reconnecting client asks "since").
    last_question_id = models.PositiveBigIntegerField(default=0, editable=False)
    change_seq = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("sala en directo")
        verbose_name_plural = _("salas en directo")

    def __str__(self):
        return str(self.webinar_key)


class QuestionStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    ANSWERED = "answered", _("Respondida")
    HIDDEN = "hidden", _("Oculta")


class QuestionQuerySet(models.QuerySet):
    def for_webinar(self, webinar):
        return self.filter(webinar_key=webinar.translation_key)

    def shown(self):
        """What everyone in the room sees: not hidden."""
        return self.exclude(status=QuestionStatus.HIDDEN)

    def by_votes(self):
        # Highlighted first, then the most voted, then the oldest (a stable order).
        return self.order_by("-highlighted", "-votes", "id")


class Question(models.Model):
    webinar = models.ForeignKey(WebinarPage, on_delete=models.CASCADE,
                                related_name="live_questions", verbose_name=_("evento"))
    webinar_key = models.UUIDField(_("clave del evento"), editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="webinar_questions", verbose_name=_("autoría"))
    # Plain text: what was typed, through the Café's policy (community.sanitizer).
    text = models.TextField(_("pregunta"))
    status = models.CharField(_("estado"), max_length=10, choices=QuestionStatus.choices,
                              default=QuestionStatus.VISIBLE)
    highlighted = models.BooleanField(_("destacada"), default=False)
    votes = models.PositiveIntegerField(_("votos"), default=0)  # QuestionVote rows
    created_at = models.DateTimeField(_("creada"), default=timezone.now)
    change_seq = models.PositiveBigIntegerField(default=0, editable=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("pregunta en directo")
        verbose_name_plural = _("preguntas en directo")
        indexes = [
            models.Index(fields=["webinar_key", "id"], name="live_question_room_idx"),
            models.Index(fields=["webinar_key", "change_seq"], name="live_question_change_idx"),
        ]

    def __str__(self):
        return self.text[:60]


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="vote_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="one_vote_per_question"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.question_id}"


class PollStatus(models.TextChoices):
    OPEN = "open", _("Abierta")
    CLOSED = "closed", _("Cerrada")


class Poll(models.Model):
    webinar = models.ForeignKey(WebinarPage, on_delete=models.CASCADE,
                                related_name="live_polls", verbose_name=_("evento"))
    webinar_key = models.UUIDField(_("clave del evento"), editable=False, db_index=True)
    question = SingleLineCharField(_("pregunta"), max_length=200)
    status = models.CharField(_("estado"), max_length=10, choices=PollStatus.choices,
                              default=PollStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, related_name="+")
    created_at = models.DateTimeField(_("abierta"), default=timezone.now)
    closed_at = models.DateTimeField(_("cerrada"), null=True, blank=True)
    votes = models.PositiveIntegerField(_("votos"), default=0)  # PollVote rows
    change_seq = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("encuesta en directo")
        verbose_name_plural = _("encuestas en directo")

    def __str__(self):
        return self.question

    @property
    def is_open(self):
        return self.status == PollStatus.OPEN


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    text = SingleLineCharField(_("opción"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)  # PollVote rows

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="vote_rows")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="vote_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="one_vote_per_poll"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.option_id}"
