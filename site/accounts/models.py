import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from allas_site.accounts import roles
from allas_site.accounts.time_zones import validate_time_zone
from allas_site.core.text import SingleLineCharField

SPOKEN_LANGUAGES = [
    ("es", _("Español")),
    ("en", _("Inglés")),
    ("fr", _("Francés")),
    ("pt", _("Portugués")),
    ("it", _("Italiano")),
    ("de", _("Alemán")),
    ("ca", _("Catalán")),
]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def avatar_path(instance, filename):
    # The name was chosen by accounts.avatars from the detected format; keep only its
    # extension, and a fresh name so a changed photo is never served from a stale cache.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in {"jpg", "png", "webp"}:
        extension = "jpg"
    return f"avatars/{instance.pk or 'new'}/{secrets.token_hex(8)}.{extension}"


class User(AbstractUser):
    """A person on the platform; the e-mail address is the login."""

    username = None
    email = models.EmailField(_("correo electrónico"), unique=True)

    display_name = SingleLineCharField(_("nombre público"), max_length=80, blank=True)
    organisation = SingleLineCharField(_("organización"), max_length=160, blank=True)
    position = SingleLineCharField(_("cargo"), max_length=160, blank=True)
    city = SingleLineCharField(_("ciudad"), max_length=120, blank=True)
    country = CountryField(_("país"), blank=True)
    languages = models.JSONField(_("idiomas"), default=list, blank=True)
    expertise = SingleLineCharField(
        _("áreas de especialidad"),
        max_length=300,
        blank=True,
        help_text=_("Separadas por comas, p. ej. cooperación descentralizada, redes de ciudades."),
    )
    bio = models.TextField(_("biografía breve"), max_length=600, blank=True)
    photo = models.ImageField(_("foto"), upload_to=avatar_path, blank=True)
    preferred_language = models.CharField(
        _("idioma de los correos"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="es",
    )
    # An IANA name; blank means "the browser's zone" (pages fall back to it).
    time_zone = models.CharField(
        _("zona horaria"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Las horas de eventos y correos se muestran en esta zona. Si no eliges "
                    "ninguna, usamos la de tu navegador."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("persona usuaria")
        verbose_name_plural = _("personas usuarias")
        ordering = ["email"]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self):
        return (
            self.display_name
            or self.get_full_name()
            or self.email.split("@", 1)[0]
        )

    @property
    def initials(self):
        parts = [part for part in self.public_name.replace(".", " ").split() if part]
        return "".join(part[0] for part in parts[:2]).upper() or "?"

    @property
    def expertise_list(self):
        return [item.strip() for item in self.expertise.split(",") if item.strip()]

    @property
    def language_labels(self):
        labels = dict(SPOKEN_LANGUAGES)
        return [str(labels.get(code, code)) for code in self.languages]

    @property
    def is_expert(self):
        return roles.has_role(self, roles.EXPERTS)

    @property
    def is_moderator(self):
        return roles.has_role(self, roles.MODERATORS)
