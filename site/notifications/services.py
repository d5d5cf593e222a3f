"""Writes to notifications; each write announces itself to the recipient's socket."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from allas_site.core import member_state
from allas_site.core.params import parse_id
from allas_site.notifications.models import Notification
from allas_site.realtime import send_event_on_commit, user_group

MAX_TITLE = 200


class NotificationError(Exception):
    pass


def unread_count(user):
    return Notification.objects.for_user(user).unread().count()


def notify_notification_created(notification):
    send_event_on_commit(
        user_group(notification.recipient_id),
        {
            "type": "notification.created",
            **notification.as_event(),
            "unread": unread_count(notification.recipient),
        },
    )


@transaction.atomic
def do_notify(recipient, *, kind, title, url="", body=""):
    """Create a notification for ``recipient`` and announce it after commit."""
    if not recipient.is_active:
        return None
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, title=title[:MAX_TITLE], url=url, body=body
    )
    notify_notification_created(notification)
    return notification


def check_ids(ids):
    # parse_id: whole numbers within a database id (a 100-digit id once dropped the socket).
    if not isinstance(ids, list) or not all(
        isinstance(i, int) and parse_id(i) is not None for i in ids
    ):
        raise NotificationError(_("«ids» debe ser una lista de números."))
    if len(ids) > 500:
        raise NotificationError(_("Demasiados avisos a la vez (máximo 500)."))
    return ids


@transaction.atomic
def do_mark_read(user, ids=None):
    """Mark ``ids`` (or every unread notification when None) of ``user`` as read.
    Other people's notifications are never touched. Returns the new unread count."""
    queryset = Notification.objects.for_user(user).unread()
    if ids is not None:
        queryset = queryset.filter(pk__in=check_ids(ids))
    changed = queryset.update(read_at=timezone.now())
    if changed:
        member_state.forget_unread(user.pk)  # the bell's kept count (update sends no signal)
    count = unread_count(user)
    if changed:
        send_event_on_commit(
            user_group(user.pk), {"type": "notification.read", "ids": ids, "unread": count}
        )
    return count
