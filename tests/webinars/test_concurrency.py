"""The capacity is never exceeded, however many people click at once.

On PostgreSQL each thread has its own connection and the event row is locked with
SELECT … FOR UPDATE. SQLite has no row locks: its transactions are opened IMMEDIATE
(settings), so writers queue for the database lock; tested on that path as well.
"""

import threading

import pytest
from django.db import connection, connections

from tests import factories as people
from tests.webinars import factories
from webinars import services
from webinars.models import Registration

# Transactional (the threads need committed rows). Not serialized_rollback: restoring
# the saved rows clashed with content types other transactional tests had re-created.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def home_page(transactional_db):
    """The home page, after putting back what an earlier test's flush removed (the
    default locale and the tree's root, both made by Wagtail's migrations)."""
    import io

    from django.conf import settings
    from wagtail.models import Locale, Page

    from allas_site.core.demo import load_home

    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return load_home(io.StringIO())

PLACES = 5
PEOPLE = 20


def _register_all(webinar, users):
    barrier = threading.Barrier(len(users))
    errors = []

    def worker(user):
        try:
            barrier.wait(timeout=30)
            services.do_register(user, webinar)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _crowd(home_page):
    agenda = factories.agenda(home_page)
    webinar = factories.webinar(agenda, capacity=PLACES)
    return webinar, [people.learner() for _ in range(PEOPLE)]


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; "
                           "SQLite is covered by the IMMEDIATE-transaction test below")
def test_many_threads_never_exceed_the_capacity_on_postgresql(home_page):
    webinar, users = _crowd(home_page)
    errors = _register_all(webinar, users)
    assert errors == []
    registrations = Registration.objects.for_webinar(webinar)
    assert registrations.registered().count() == PLACES
    assert registrations.waitlisted().count() == PEOPLE - PLACES


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite path")
def test_sqlite_immediate_transactions_serialise_registrations(home_page, settings):
    assert connection.settings_dict["OPTIONS"].get("transaction_mode") == "IMMEDIATE"
    webinar, users = _crowd(home_page)
    errors = _register_all(webinar, users)
    assert errors == []
    registrations = Registration.objects.for_webinar(webinar)
    assert registrations.registered().count() == PLACES
    assert registrations.waitlisted().count() == PEOPLE - PLACES


def test_the_same_person_clicking_twice_at_once_gets_one_place(home_page):
    agenda = factories.agenda(home_page)
    webinar = factories.webinar(agenda)
    user = people.learner()
    errors = _register_all(webinar, [user, user])
    assert len(errors) == 1 and "Ya estás inscrito" in errors[0]
    assert Registration.objects.for_webinar(webinar).active().count() == 1
