from functools import cache

from allas_site.core.member_state import unread_count


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Templates call a callable when they resolve it: the count is read once, and only
    # on pages that show the bell (kept per member: core.member_state).
    return {"unread_notifications": cache(lambda: unread_count(user))}
