from django import forms
from django.utils.translation import gettext_lazy as _

from allas_site.core.params import MAX_ID
from allas_site.core.text import SingleLineFormField
from community.models import Category, MemberSettings


class BodyField(forms.CharField):
    """The post text; length and emptiness are checked by the service (one message)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Tu mensaje"))
        kwargs.setdefault(
            "help_text",
            _("Puedes usar la barra de formato (negrita, cursiva, enlaces, listas, citas, "
              "código) y mencionar a alguien con @alias."),
        )
        kwargs.setdefault(
            "widget",
            forms.Textarea(attrs={"rows": 6, "data-cafe-editor": "", "spellcheck": "true"}),
        )
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)


class ReplyForm(forms.Form):
    body = BodyField()
    quote_of = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1,
                                  max_value=MAX_ID)


class EditForm(forms.Form):
    body = BodyField(label=_("Texto del mensaje"))


class CategoryField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name  # in the visitor's language


class DebateForm(forms.Form):
    category = CategoryField(
        label=_("Categoría"), queryset=Category.objects.none(), empty_label=None
    )
    title = SingleLineFormField(label=_("Título del debate"), max_length=200)
    body = BodyField(label=_("Mensaje de apertura"))
    page = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1,
                              max_value=MAX_ID)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.originals().filter(
            pk__in=[category.pk for category in categories]
        )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("¿Por qué denuncias este mensaje?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PreferencesForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Correos del Café"),
        choices=MemberSettings.EmailMode.choices,
        widget=forms.RadioSelect,
    )


class MoveForm(forms.Form):
    category = CategoryField(
        label=_("Mover a la categoría"), queryset=Category.objects.originals(), empty_label=None
    )


class SuspendForm(forms.Form):
    days = forms.IntegerField(label=_("Días de suspensión"), min_value=1, max_value=365, initial=7)
    reason = forms.CharField(
        label=_("Motivo"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RelatoriaForm(forms.Form):
    title = SingleLineFormField(label=_("Título de la relatoría"), max_length=255)
    posts = forms.MultipleChoiceField(
        label=_("Mensajes que se citan"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, posts=(), **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils.text import Truncator

        from community.sanitizer import plain_text

        self.fields["posts"].choices = [
            (
                str(post.pk),
                f"{post.author.public_name if post.author else '—'}: "
                f"{Truncator(plain_text(post.body_html)).chars(120)}",
            )
            for post in posts
        ]
