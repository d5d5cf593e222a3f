from django.utils.functional import SimpleLazyObject

from allas_site.notifications.services import unread_count


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: the COUNT runs only on pages whose template shows the bell.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
