from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


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
