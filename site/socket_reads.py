"""Where the sockets' database reads run: a few threads of their own.

Channels runs every ``database_sync_to_async`` call of a server process in one thread.
When a room fills up (hundreds of members opening a debate within seconds), each
joining socket's reads (who the member is, may they read this debate, what did they
miss) queued there behind every other socket's, each mostly waiting for PostgreSQL,
and everything a socket had to send waited with it: the room's presence reached its
last members more than a second after it left.

Reads run in ``SOCKET_READ_THREADS`` threads instead, so their waits overlap (the
member's lookup also ends a session whose password changed, as Channels' does: a write
with no order to keep). Each thread takes a connection from the process's pool for the
call and gives it back after (``database_sync_to_async`` closes old connections around
it), so the pool's bound still holds; writes stay in the one thread, in order.
"""

from concurrent.futures import ThreadPoolExecutor

from channels import auth
from channels.db import database_sync_to_async
from channels.sessions import CookieMiddleware, SessionMiddleware

# Two: their waits overlap, and the event loop keeps its share of the interpreter. With
# four, live posts reached members at twice the latency while a fifth of them rejoined.
SOCKET_READ_THREADS = 2

_threads = ThreadPoolExecutor(SOCKET_READ_THREADS, thread_name_prefix="socket-read")


def socket_read(func):
    """``database_sync_to_async`` for a read, in the sockets' read threads."""
    return database_sync_to_async(func, thread_sensitive=False, executor=_threads)


_get_user = socket_read(auth.get_user.func)


class MemberAuthMiddleware(auth.AuthMiddleware):
    """Channels' ``AuthMiddleware`` with the member loaded in a read thread."""

    async def resolve_scope(self, scope):
        scope["user"]._wrapped = await _get_user(scope)


def member_auth_stack(inner):
    """Cookies, session and member, as channels' ``AuthMiddlewareStack``."""
    return CookieMiddleware(SessionMiddleware(MemberAuthMiddleware(inner)))
