from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from allas_site.core.navigation import absolute_url


@dataclass(frozen=True)
class PublicSite:
    """What allauth's e-mails say as ``current_site``: the platform's name and public
    host, not the host of the request that triggered the e-mail."""

    name: str
    domain: str


def on_public_address(url):
    """An absolute URL allauth built from the request's host, moved onto BASE_URL."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return absolute_url(path + (f"#{parts.fragment}" if parts.fragment else ""))


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        language = translation.get_language() or "es"
        user.preferred_language = language.split("-")[0]
        if commit:
            user.save()
        return user

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Failed log-ins are counted per client address *and* account, not per account:
        an attacker who guesses wrong throttles themself, while the owner logging in from
        elsewhere is never locked out (allauth keys the ``/key`` limits on this value)."""
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"{self.get_client_ip(request)}:{login}"

    def send_mail(self, template_prefix, email, context):
        """Every allauth e-mail passes here: its links (confirmation, password reset,
        sign-up) and the site it names come from the public address, like ours."""
        context = {
            **context,
            "current_site": PublicSite(
                name=settings.WAGTAIL_SITE_NAME, domain=urlsplit(settings.BASE_URL).netloc
            ),
        }
        for key, value in context.items():
            if key.endswith("_url") and isinstance(value, str) and "://" in value:
                context[key] = on_public_address(value)
        super().send_mail(template_prefix, email, context)
