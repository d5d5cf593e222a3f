"""What every page shows of a signed-in member, kept per member in the shared cache.

Each page a member reads used to ask the database for their roles (a join on the
groups), their unread notification count (the bell) and, through the cache, whether the
header links to the admin: two queries and two round trips per request, for answers
that change rarely and through known events. They are now kept per member and read
before a GET or HEAD view runs, in the round trip that reads the page cache's versions
(``keys`` and ``apply``, from the page cache middleware's ``process_view``). Writes
(POST and the rest) still read the roles from the database, so a permission check
never rests on a cached answer.

- roles: retired when the member's groups change (``m2m_changed``);
- unread count: retired when a notification is created or deleted (signals) or marked
  read (``notifications.services.do_mark_read`` calls ``forget_unread``); the bell is
  also kept current by the notifications socket;
- admin link: retired with the roles; kept ADMIN_LINK_SECONDS otherwise, so a change of
  a group's own permissions shows in the header within that time (the admin checks
  access itself).

The member's own row (``kept_user``), which the authentication backends
(``accounts.backends``) load for every signed-in request and socket, is kept too: it is
retired when the row is saved or deleted, and its key names the model's fields, so a
deploy that adds one never reads an old row. The session's hash is still checked against
the kept row's password, so a changed password retires it and ends other sessions.

Each entry is retired now and again after the transaction commits, so a request that
read the old state meanwhile cannot keep it; it also expires on its own.
"""

import functools
import hashlib

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.functional import SimpleLazyObject

ROLES_SECONDS = 600
# A page cache section bumped by any change of group membership, for what is kept per
# process about roles (the Café's Expert badges).
ROLES_SECTION = "roles"
UNREAD_SECONDS = 120
ADMIN_LINK_SECONDS = 300
USER_SECONDS = 300


def roles_key(pk):
    return f"member:{pk}:roles"


def unread_key(pk):
    return f"member:{pk}:unread"


def admin_link_key(pk):
    return f"core:admin-link:{pk}"


@functools.cache
def _user_fields():
    # The model's columns, hashed: a kept row must have been made by the same model.
    names = ",".join(field.attname for field in get_user_model()._meta.concrete_fields)
    return hashlib.sha256(names.encode()).hexdigest()[:10]


def user_key(pk):
    return f"member:{pk}:user:{_user_fields()}"


def kept_user(pk):
    """The user row ``pk`` as the database has it, kept USER_SECONDS; None if there is
    no such user (or ``pk`` is not one)."""
    User = get_user_model()
    try:
        pk = User._meta.pk.to_python(pk)
    except ValidationError:
        return None
    key = user_key(pk)
    user = cache.get(key)
    if user is None:
        user = User._default_manager.filter(pk=pk).first()
        if user is not None:
            cache.set(key, user, USER_SECONDS)
    return user


def keys(request):
    """The kept entries to read for this request: none unless a signed-in member asks
    for a page (GET or HEAD)."""
    from django.conf import settings

    if request.method not in ("GET", "HEAD"):
        return []
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return []  # anonymous without a session: nothing to read, no user to load
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return ([roles_key(user.pk), unread_key(user.pk), admin_link_key(user.pk)]
            + [kept_key(user.pk, name) for name in _KEPT])


def apply(request, found):
    """Put what ``keys`` found (read by ``page_cache.load_versions`` in the round trip
    of the versions) on the request's user: roles as ``_role_names``, which
    ``accounts.roles`` reads; a missing roles entry is read and kept now."""
    user = request.user
    if isinstance(user, SimpleLazyObject):
        # Loaded already (``keys`` asked): templates and views then read the member
        # directly instead of through the lazy proxy, a few hundred times per page.
        user = request.user = user._wrapped
    keys = [roles_key(user.pk), unread_key(user.pk), admin_link_key(user.pk)]
    names = found.get(keys[0])
    user._role_names = set(names) if names is not None else kept_roles(user)
    if keys[1] in found:
        user._unread_notifications = found[keys[1]]
    if keys[2] in found:
        user._shows_admin_link = found[keys[2]]
    user._kept_read = {name: found.get(kept_key(user.pk, name), MISSING) for name in _KEPT}


def kept_roles(user):
    """The member's role names as pages read them: kept ROLES_SECONDS, retired when
    their groups change. For what only shows or reads; writes read the database."""
    key = roles_key(user.pk)
    names = cache.get(key)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        cache.set(key, names, ROLES_SECONDS)
    return set(names)


# --- what the apps keep per member ---------------------------------------------------------
# An app names what it keeps per member (``keep`` at start-up: the Café's read marks, the
# courses' enrolments), so a page reads it in the same round trip as the rest; ``kept``
# answers from there, else from the cache, else builds and keeps it. The app retires it
# (``forget``) on the writes that change it.

_KEPT = []
MISSING = object()


def keep(name, retired_by=()):
    """Read ``name`` with the member state from now on. ``retired_by`` lists (model,
    member) pairs: saving or deleting a row of ``model`` retires the entry of the member
    ``member(row)`` names (None: no one)."""
    if name not in _KEPT:
        _KEPT.append(name)
    for model, member in retired_by:

        def retire(sender, instance, _member=member, **kwargs):
            pk = _member(instance)
            if pk is not None:
                forget(pk, name)

        for signal in (post_save, post_delete):
            signal.connect(retire, sender=model, weak=False,
                           dispatch_uid=f"member-kept-{name}-{model._meta.label}-"
                                        f"{signal is post_save}")


def kept_key(pk, name):
    return f"member:{pk}:{name}"


def kept(user, name, build, seconds):
    """``build()`` for ``user``, kept ``seconds`` or until ``forget(user.pk, name)``."""
    read = getattr(user, "_kept_read", {})
    value = read.get(name, MISSING)
    if value is MISSING and name not in read:  # not read in the round trip: ask now
        value = cache.get(kept_key(user.pk, name), MISSING)
    if value is MISSING:
        value = build()
        cache.set(kept_key(user.pk, name), value, seconds)
    read[name] = value
    user._kept_read = read
    return value


def store(user, name, value, seconds):
    """Keep ``value`` as ``user``'s ``name`` (an answer ``kept`` gave, grown)."""
    cache.set(kept_key(user.pk, name), value, seconds)
    read = getattr(user, "_kept_read", {})
    read[name] = value
    user._kept_read = read


def forget(user_pk, name):
    _forget([kept_key(user_pk, name)])


def unread_count(user):
    """The bell's count: kept, else counted (and kept)."""
    from allas_site.notifications.services import unread_count as count_unread

    count = getattr(user, "_unread_notifications", None)
    if count is None:
        count = count_unread(user)
        cache.set(unread_key(user.pk), count, UNREAD_SECONDS)
        user._unread_notifications = count
    return count


def shows_admin_link(user):
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    shown = getattr(user, "_shows_admin_link", None)
    if shown is None:
        shown = cache.get(admin_link_key(user.pk))
        if shown is None:
            shown = user.has_perm("wagtailadmin.access_admin")
            cache.set(admin_link_key(user.pk), shown, ADMIN_LINK_SECONDS)
        user._shows_admin_link = shown
    return shown


def _forget(keys):
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def forget_unread(user_pk):
    _forget([unread_key(user_pk)])


def forget_roles(user_pks):
    # The admin link follows from the groups too.
    _forget([key for pk in user_pks for key in (roles_key(pk), admin_link_key(pk))])


def forget_user(pk):
    forget_users([pk])


def forget_users(pks):
    """Retire the kept rows of ``pks``: for writes that send no signal (``update()``,
    ``bulk_create``)."""
    _forget([user_key(pk) for pk in pks])


def _user_changed(sender, instance, **kwargs):
    if instance.pk is not None:
        forget_user(instance.pk)


def _notification_changed(sender, instance, **kwargs):
    forget_unread(instance.recipient_id)


def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    from allas_site.core import page_cache

    page_cache.bump(ROLES_SECTION)
    if not reverse:
        forget_roles([instance.pk])
    elif pk_set:
        forget_roles(pk_set)
    else:  # a group cleared of its members: the members it had
        forget_roles(list(instance.user_set.values_list("pk", flat=True)))


def connect():
    from allas_site.core import page_cache
    from allas_site.notifications.models import Notification

    page_cache.prefetch_sections(ROLES_SECTION)

    for signal in (post_save, post_delete):
        signal.connect(_notification_changed, sender=Notification,
                       dispatch_uid=f"core-member-unread-{signal is post_save}")
    for signal in (post_save, post_delete):
        signal.connect(_user_changed, sender=get_user_model(),
                       dispatch_uid=f"core-member-user-{signal is post_save}")
    m2m_changed.connect(_groups_changed, sender=get_user_model().groups.through,
                        dispatch_uid="core-member-roles")
