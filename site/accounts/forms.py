from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from allas_site.accounts import avatars, time_zones
from allas_site.accounts.models import SPOKEN_LANGUAGES, User


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(
        label=_("Nombre público"),
        max_length=80,
        help_text=_("Cómo te verán las demás personas de la comunidad."),
    )
    accept_privacy = forms.BooleanField(
        label=_("He leído y acepto el aviso de privacidad"),
        required=True,
        error_messages={"required": _("Necesitamos tu consentimiento para crear la cuenta.")},
    )

    field_order = ["display_name", "email", "password1", "password2", "accept_privacy"]

    def try_save(self, request):
        if self.account_already_exists:
            # A new account costs a password hash (hundreds of milliseconds); without one
            # here, the answer's timing would tell whether the e-mail has an account.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)

    def save(self, request):
        user = super().save(request)
        user.display_name = self.cleaned_data["display_name"].strip()
        user.save(update_fields=["display_name"])
        return user


class ProfileForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Idiomas en que trabajas"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "first_name",
            "last_name",
            "organisation",
            "position",
            "city",
            "country",
            "languages",
            "expertise",
            "bio",
            "photo",
            "preferred_language",
            "time_zone",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5, "maxlength": 600}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A grouped select of the tz database's places instead of a free text box; a
        # name outside it (forged, or a legacy alias) is an error on the field.
        model_field = User._meta.get_field("time_zone")
        self.fields["time_zone"] = forms.ChoiceField(
            label=model_field.verbose_name,
            help_text=model_field.help_text,
            required=False,
            choices=[("", _("La de mi navegador")), *time_zones.choices()],
            error_messages={"invalid_choice": _("«%(value)s» no es una zona horaria conocida.")},
        )
        # Blank in the database (accounts exist before a profile is filled in), but
        # whoever edits the profile must give the name others will see.
        self.fields["display_name"].required = True
        self.fields["display_name"].error_messages["required"] = _(
            "Escribe el nombre con el que quieres aparecer."
        )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "size") and photo.size > settings.AVATAR_MAX_BYTES:
            raise ValidationError(
                _("La foto pesa %(size)s; el máximo es %(max)s.")
                % {
                    "size": filesizeformat(photo.size),
                    "max": filesizeformat(settings.AVATAR_MAX_BYTES),
                }
            )
        content_type = getattr(photo, "content_type", None)
        if content_type and content_type not in {"image/jpeg", "image/png", "image/webp"}:
            raise ValidationError(_("La foto debe ser JPEG, PNG o WebP."))
        if photo and hasattr(photo, "content_type"):  # a new upload, not the stored file
            return avatars.normalise(photo)
        return photo


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Tu contraseña"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("Entiendo que mi cuenta y mis datos personales se eliminarán para siempre"),
        required=True,
    )
