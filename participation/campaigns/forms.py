"""The public sign-on form. The service checks the same rules again
(``services.clean_signature_data``): the form is for messages beside each field."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from allas_site.core.text import SingleLineFormField
from participation.campaigns.models import SignatoryType
from participation.campaigns.services import MAX_LENGTHS


def _text(label, field, autocomplete):
    return SingleLineFormField(
        label=label, max_length=MAX_LENGTHS[field],
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
    )


class SignatureForm(forms.Form):
    organisation = _text(_("Organización"), "organisation", "organization")
    signatory_type = forms.ChoiceField(label=_("Tipo de organización"),
                                       choices=[("", "—"), *SignatoryType.choices])
    city = _text(_("Ciudad"), "city", "address-level2")
    country = forms.ChoiceField(label=_("País"))
    representative_name = _text(_("Nombre de la persona que firma"), "representative_name",
                                "name")
    representative_role = _text(_("Cargo"), "representative_role", "organization-title")
    email = forms.EmailField(
        label=_("Correo electrónico"), max_length=MAX_LENGTHS["email"],
        help_text=_("Para confirmar la firma y enviarte novedades. Nunca se publica."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_("Firmo en nombre de esta organización y acepto que su nombre, tipo, ciudad "
                "y país aparezcan en la lista pública de firmantes."),
    )
    # A field people do not see (hidden with CSS, skipped by the keyboard and screen
    # readers); scripts that fill every field give themselves away.
    website = forms.CharField(label=_("Deja este campo vacío"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1",
                                                            "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *countries]

    @property
    def is_bot(self):
        return bool(self.data.get("website"))

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != "website"]


def initial_for(user):
    """A member's form, filled with what their profile says."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return {
        "email": user.email,
        "representative_name": getattr(user, "public_name", "") or "",
        "organisation": getattr(user, "organisation", "") or "",
        "city": getattr(user, "city", "") or "",
        "country": str(getattr(user, "country", "") or ""),
    }
