"""Single-line text: names, titles, cities. Normalised in one place.

A title with a line break once made every reply e-mail of its debate fail (an e-mail
subject cannot hold one) and mail was silently lost; a name with a tab or a NUL byte
breaks CSV exports and PDFs. Single-line values are stored in Unicode NFC with every
control, format or separator character turned into a space and runs of spaces
collapsed, so the class of bug cannot come back through a form, the admin or a service.
"""

import re
import unicodedata

from django import forms
from django.db import models

# Cc: controls (\n \r \t NUL…), Cf: format (zero-width, bidi overrides), Zl/Zp: separators.
_BREAKING = {"Cc", "Cf", "Zl", "Zp"}
_SPACES = re.compile(r"\s+")


def single_line(value):
    if not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFC", value)
    value = "".join(" " if unicodedata.category(char) in _BREAKING else char for char in value)
    return _SPACES.sub(" ", value).strip()


class SingleLineFormField(forms.CharField):
    def to_python(self, value):
        return single_line(super().to_python(value))


class SingleLineCharField(models.CharField):
    """A CharField that only ever stores single-line text (see the module docstring)."""

    def to_python(self, value):
        return single_line(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = single_line(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SingleLineFormField, **kwargs})
