"""Data built once for a module's tests (see ``kept_for_module``)."""

from contextlib import contextmanager

from django.core.cache import cache


@contextmanager
def kept_for_module(django_db_blocker, tmp_path_factory):
    """Data built once for a module's tests, in a transaction rolled back after its
    last test; yields the folder its files go to.

    Each test still runs in its own savepoint inside it (pytest-django's ``db``), so
    what one test writes is gone for the next, as with Django's ``setUpTestData``.
    Tests that need a commit (transactional ones, or a server in another process) cannot
    see it: they build their own.
    """
    from django.db import transaction
    from django.test.utils import override_settings

    media = tmp_path_factory.mktemp("kept-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        kept = transaction.atomic()
        kept.__enter__()
        try:
            cache.clear()
            yield media
        finally:
            transaction.set_rollback(True)
            kept.__exit__(None, None, None)
            cache.clear()  # pages and fragments cached from content that is gone
