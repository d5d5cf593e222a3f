"""Café con AL-LAs: categories, debates, posts and what people do with them.

Who may do what is decided in ``community.permissions``; every write goes through
``community.services``. Querysets here only filter by those rules.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import TranslatableMixin

from allas_site.core.text import SingleLineCharField
from community import permissions

RESERVED_SLUGS = {"nuevo", "personas", "preferencias", "debates", "mensajes", "moderacion"}


class Access(models.TextChoices):
    EVERYONE = "everyone", _("todo el mundo")
    MEMBERS = "members", _("miembros")
    EXPERTS = "experts", _("personas expertas")


# Debates, sessions and follows hang on the category in the default language; its
# translations into other languages only carry the words (name, description).
ORIGINALS = {"locale__language_code": settings.LANGUAGE_CODE}


class CategoryQuerySet(models.QuerySet):
    def originals(self):
        return self.filter(**ORIGINALS)

    def visible_to(self, user):
        return self.originals().filter(read_access__in=permissions.read_levels(user))


class Category(TranslatableMixin, models.Model):
    name = SingleLineCharField(_("nombre"), max_length=120)
    slug = models.SlugField(
        _("identificador"), max_length=80,
        help_text=_("Parte de la dirección; el mismo en todos los idiomas."),
    )
    description = models.TextField(_("descripción"), blank=True, max_length=800)
    topic = models.ForeignKey(
        "topics.Topic",
        verbose_name=_("tema"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    read_access = models.CharField(
        _("quién lee"), max_length=12, choices=Access.choices, default=Access.EVERYONE
    )
    post_access = models.CharField(
        _("quién abre debates y responde"),
        max_length=12,
        choices=[(Access.MEMBERS, Access.MEMBERS.label), (Access.EXPERTS, Access.EXPERTS.label)],
        default=Access.MEMBERS,
    )
    approve_first_posts = models.BooleanField(
        _("aprobar los primeros mensajes"),
        default=True,
        help_text=_("El primer mensaje de un miembro nuevo espera la aprobación de moderación."),
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=100)

    # Every language's rows (the admin and Wagtail's translation tools need them all);
    # the Café itself reads ``.originals()``.
    objects = CategoryQuerySet.as_manager()

    # What a translation shares with its original (kept in step by the services).
    SHARED_FIELDS = ("slug", "topic", "read_access", "post_access", "approve_first_posts",
                     "order")

    class Meta(TranslatableMixin.Meta):
        ordering = ["order", "name"]
        verbose_name = _("categoría del Café")
        verbose_name_plural = _("categorías del Café")
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="unique_cafe_category_slug_per_locale"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("community:category", args=[self.slug])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("Este identificador está reservado.")})
        translation_without_original = (
            self.locale_id
            and self.locale.language_code != settings.LANGUAGE_CODE
            and not self.get_translations().filter(**ORIGINALS).exists()
        )
        if translation_without_original:
            raise ValidationError(_(
                "Crea primero la categoría en español y tradúcela después con "
                "«Traducir»: los debates pertenecen a la categoría original."
            ))

    def get_default_locale(self):
        # The default language's Locale, created if a flushed test database lost it.
        from wagtail.models import Locale

        return Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]

    @property
    def display_name(self):
        """The name in the visitor's language when someone has translated it."""
        from community.category_texts import text_for

        return text_for(self, "name")

    @property
    def display_description(self):
        from community.category_texts import text_for

        return text_for(self, "description")


class CafeSessionQuerySet(models.QuerySet):
    def upcoming_or_open(self, now=None):
        return self.filter(closes_at__gt=now or timezone.now()).order_by("opens_at")


class CafeSession(models.Model):
    """A themed Café: its debate is open for posting only between ``opens_at`` and
    ``closes_at`` (checked at each write, so it closes itself with no scheduler)."""

    title = SingleLineCharField(_("título"), max_length=200)
    description = models.TextField(_("presentación"), blank=True, max_length=1500)
    guest = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona experta invitada"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cafe_sessions_hosted",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("categoría"), on_delete=models.PROTECT, related_name="sessions",
        limit_choices_to=ORIGINALS,
    )
    opens_at = models.DateTimeField(_("abre"))
    closes_at = models.DateTimeField(_("cierra"))
    cuaderno = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Cuaderno relacionado"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CafeSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("sesión del Café")
        verbose_name_plural = _("sesiones del Café")

    def __str__(self):
        return self.title

    def state(self, now=None):
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        if now >= self.closes_at:
            return "closed"
        return "open"


class DebateQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(category__read_access__in=permissions.read_levels(user))


class Debate(models.Model):
    category = models.ForeignKey(
        Category, verbose_name=_("categoría"), on_delete=models.PROTECT, related_name="debates",
        limit_choices_to=ORIGINALS,
    )
    title = SingleLineCharField(_("título"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autoría"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="cafe_debates",
    )
    # Any Wagtail page (a Cuaderno, a course, a lesson) without depending on its model.
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("página relacionada"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cafe_debates",
    )
    session = models.OneToOneField(
        CafeSession,
        verbose_name=_("sesión"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="debate",
    )
    created_at = models.DateTimeField(_("creado"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("última actividad"), default=timezone.now)
    last_post_id = models.BigIntegerField(_("último mensaje"), default=0)
    reply_count = models.PositiveIntegerField(_("respuestas"), default=0)
    # The last few distinct posters, newest first: the listing shows their avatars
    # with one query for the whole page instead of one per debate.
    participant_ids = models.JSONField(_("participantes"), default=list, blank=True)
    is_locked = models.BooleanField(_("cerrado"), default=False)
    is_pinned = models.BooleanField(_("fijado"), default=False)
    # Bumped by every edit, hide, restore or reaction of one of its posts (stamped on the
    # post): a reconnecting client asks for the posts changed after the number it knows.
    change_seq = models.BigIntegerField(default=0, editable=False)

    objects = DebateQuerySet.as_manager()

    class Meta:
        ordering = ["-is_pinned", "-last_activity_at", "-id"]
        indexes = [
            models.Index(
                fields=["category", "is_pinned", "last_activity_at"], name="debate_listing"
            )
        ]
        verbose_name = _("debate")
        verbose_name_plural = _("debates")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("community:debate", args=[self.pk])

    def posting_state(self, now=None):
        """``open``, ``locked``, ``upcoming`` (session not yet open) or ``closed``."""
        if self.is_locked:
            return "locked"
        if self.session_id:
            state = self.session.state(now)
            if state != "open":
                return state
        return "open"


class PostQuerySet(models.QuerySet):
    def visible_to(self, user):
        if permissions.is_moderator(user):
            return self
        if user.is_authenticated:
            return self.filter(
                Q(status=Post.Status.VISIBLE) | Q(author=user, status=Post.Status.PENDING)
            )
        return self.filter(status=Post.Status.VISIBLE)

    def public(self):
        return self.filter(status=Post.Status.VISIBLE)


class Post(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("visible")
        PENDING = "pending", _("pendiente de aprobación")
        HIDDEN = "hidden", _("oculto por moderación")

    debate = models.ForeignKey(
        Debate, verbose_name=_("debate"), on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autoría"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="cafe_posts",
    )
    body_source = models.TextField(_("texto escrito"))  # what the author typed, for editing
    body_html = models.TextField(_("texto"))  # cleaned by community.sanitizer, safe to show
    quote_of = models.ForeignKey(
        "self",
        verbose_name=_("cita"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.VISIBLE
    )
    created_at = models.DateTimeField(_("creado"), default=timezone.now)
    edited_at = models.DateTimeField(_("editado"), null=True, blank=True)
    change_seq = models.BigIntegerField(default=0, editable=False)  # see Debate.change_seq

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["debate", "status", "id"], name="post_debate_status_id"),
            models.Index(fields=["debate", "change_seq"], name="post_debate_change_seq"),
        ]
        verbose_name = _("mensaje")
        verbose_name_plural = _("mensajes")

    def __str__(self):
        return f"#{self.pk} · {self.debate}"

    def get_absolute_url(self):
        return reverse("community:post", args=[self.pk])


class PostRevision(models.Model):
    """An earlier text of an edited post; moderators read the history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body_source = models.TextField()
    body_html = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("versión anterior")
        verbose_name_plural = _("versiones anteriores")

    def __str__(self):
        return f"#{self.post_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", _("Me gusta")
        AGREE = "agree", _("De acuerdo")
        INSIGHTFUL = "insightful", _("Interesante")
        THANKS = "thanks", _("Gracias")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cafe_reactions"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_per_kind")
        ]
        verbose_name = _("reacción")
        verbose_name_plural = _("reacciones")

    def __str__(self):
        return f"{self.kind} #{self.post_id}"


class Report(models.Model):
    post = models.ForeignKey(
        Post, verbose_name=_("mensaje"), on_delete=models.CASCADE, related_name="reports"
    )
    # Kept when the reporter deletes their account, without their name: the
    # moderation record must still show why a post was hidden.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("denunciante"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cafe_reports",
    )
    reason = models.TextField(_("motivo"), max_length=1000)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resuelta"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resuelta por"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["resolved_at", "-id"]
        verbose_name = _("denuncia")
        verbose_name_plural = _("denuncias")

    def __str__(self):
        return f"{self.post} — {self.reason[:60]}"


class Follow(models.Model):
    """Following a debate or a whole category (exactly one of the two)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cafe_follows"
    )
    debate = models.ForeignKey(
        Debate, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="follows",
        limit_choices_to=ORIGINALS,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "debate"], name="follow_debate_once"),
            models.UniqueConstraint(fields=["user", "category"], name="follow_category_once"),
            models.CheckConstraint(
                condition=Q(debate__isnull=True, category__isnull=False)
                | Q(debate__isnull=False, category__isnull=True),
                name="follow_one_target",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.debate_id or self.category_id}"


class ReadState(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="read_states")
    last_read_post_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "debate"], name="read_state_once")
        ]

    def __str__(self):
        return f"{self.user_id} @ {self.debate_id}: {self.last_read_post_id}"


class Draft(models.Model):
    """The reply being written, kept on the server so it survives another device."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="drafts")
    body = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "debate"], name="draft_once")]

    def __str__(self):
        return f"{self.user_id} @ {self.debate_id}"


class Suspension(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona"),
        on_delete=models.CASCADE,
        related_name="cafe_suspensions",
    )
    until = models.DateTimeField(_("hasta"))
    reason = models.TextField(_("motivo"), max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decidida por"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        ordering = ["-until"]
        verbose_name = _("suspensión")
        verbose_name_plural = _("suspensiones")

    def __str__(self):
        return f"{self.user} → {self.until:%Y-%m-%d %H:%M}"


class ModerationAction(models.Model):
    """Every moderator action, for accountability."""

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderación"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("acción"), max_length=40)
    debate = models.ForeignKey(
        Debate, verbose_name=_("debate"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    post = models.ForeignKey(
        Post, verbose_name=_("mensaje"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona afectada"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    details = models.TextField(_("detalles"), blank=True)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("acción de moderación")
        verbose_name_plural = _("registro de moderación")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class MemberSettings(models.Model):
    """A member's Café handle (for @mentions) and how they want e-mail."""

    class EmailMode(models.TextChoices):
        INSTANT = "instant", _("Un correo por cada mención o respuesta")
        DIGEST = "digest", _("Un resumen diario")
        OFF = "off", _("Ningún correo")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cafe_settings"
    )
    handle = models.SlugField(_("alias"), max_length=80, unique=True)
    email_mode = models.CharField(
        _("correos del Café"), max_length=10, choices=EmailMode.choices, default=EmailMode.INSTANT
    )

    class Meta:
        verbose_name = _("preferencias del Café")
        verbose_name_plural = _("preferencias del Café")

    def __str__(self):
        return f"@{self.handle}"


class DigestItem(models.Model):
    """A mention or reply waiting for the member's daily digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12)  # mention | reply
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "user"], name="digest_pending")]

    def __str__(self):
        return f"{self.kind} #{self.post_id} → {self.user_id}"
