"""Every write to accounts and profiles goes through here.

``check_*`` validates and checks permission (raises ``AccountError``); ``do_*`` changes
data in one transaction.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail import hooks

from allas_site.accounts import roles


class AccountError(Exception):
    """A refused account action; the message is safe to show to the person."""


def check_can_edit_profile(actor, user):
    if not actor.is_authenticated or (actor.pk != user.pk and not actor.is_superuser):
        raise AccountError(_("Solo puedes modificar tu propio perfil."))


@transaction.atomic
def do_update_profile(actor, user, form):
    """Save a validated ``ProfileForm`` for ``user``; runs in one transaction."""
    check_can_edit_profile(actor, user)
    return form.save()


def check_can_manage_roles(actor):
    if not (actor.is_authenticated and (actor.is_superuser or actor.has_perm("auth.change_user"))):
        raise AccountError(_("No tienes permiso para asignar roles."))


@transaction.atomic
def do_add_role(user, role, *, actor=None):
    """Put ``user`` in the group of ``role``. Learners join on e-mail confirmation
    (``actor`` is None then); any other role needs an actor who manages users."""
    if role not in roles.ALL_ROLES:
        raise AccountError(_("Rol desconocido."))
    if actor is not None:
        check_can_manage_roles(actor)
    elif role != roles.LEARNERS:
        raise AccountError(_("Solo el rol de aprendiz se asigna automáticamente."))
    group, _created = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    user.__dict__.pop("_role_names", None)
    return group


@transaction.atomic
def do_remove_role(user, role, *, actor):
    check_can_manage_roles(actor)
    user.groups.remove(*Group.objects.filter(name=role))
    user.__dict__.pop("_role_names", None)


def export_user_data(user):
    """Everything the platform holds about ``user``, as JSON-ready data.

    Each capability adds its part through the ``allas_user_data_export`` hook, a
    function ``(user) -> (key, data)``.
    """
    data = {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "roles": sorted(user.groups.values_list("name", flat=True)),
        },
        "profile": {
            "display_name": user.display_name,
            "organisation": user.organisation,
            "position": user.position,
            "city": user.city,
            "country": user.country.code if user.country else "",
            "languages": list(user.languages),
            "expertise": user.expertise_list,
            "bio": user.bio,
            "photo": user.photo.name if user.photo else None,
            "preferred_language": user.preferred_language,
            "time_zone": user.time_zone,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in user.emailaddress_set.all()
        ],
    }
    for exporter in hooks.get_hooks("allas_user_data_export"):
        key, part = exporter(user)
        data[key] = part
    return data


def check_can_delete_account(actor, user, password):
    check_can_edit_profile(actor, user)
    if not user.check_password(password):
        raise AccountError(_("La contraseña no es correcta."))
    if user.is_superuser and get_user_model().objects.filter(is_superuser=True).count() <= 1:
        raise AccountError(
            _("Eres la única persona administradora: nombra a otra antes de eliminar tu cuenta.")
        )


@transaction.atomic
def do_delete_account(actor, user, password):
    """Delete the account and what belongs only to it, in one transaction.
    Contributions others rely on are kept without the author (their foreign keys
    use SET_NULL)."""
    check_can_delete_account(actor, user, password)
    if user.photo:
        photo_name = user.photo.name
        storage = user.photo.storage
        transaction.on_commit(lambda: storage.delete(photo_name))
    user.delete()
