"""The authentication backends, loading the signed-in member from ``core.member_state``.

Django loads the user row for every request and socket of a signed-in member; the two
backends the platform uses (Django's, for the admin's password form, and allauth's, for
the site's log-in) are the same with that row kept in the shared cache instead of
queried each time. Log-in itself (``authenticate``) is unchanged.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend

from allas_site.core import member_state


class KeptUserMixin:
    def get_user(self, user_id):
        user = member_state.kept_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)


class MemberModelBackend(KeptUserMixin, ModelBackend):
    pass


class MemberAllauthBackend(KeptUserMixin, AllauthBackend):
    pass
