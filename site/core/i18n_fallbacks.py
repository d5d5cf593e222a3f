"""Third-party strings that an upstream catalogue leaves untranslated.

Never imported: ``makemessages`` reads this file so that the project's catalogues
(site/locale) carry these msgids and translate them. Without them Django falls back
to the default language, so a Portuguese page would show the message in Spanish.
Drop an entry once the upstream catalogue translates it.
"""

from django.utils.translation import ngettext_lazy

STRINGS = [
    # django.contrib.auth MinimumLengthValidator: missing from Django's "pt" catalogue.
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    ),
]
