"""Simultaneous submissions lose none and count each once; the same person submitting
twice at once keeps one response.

On PostgreSQL each thread has its own connection; the response row is locked with
SELECT … FOR UPDATE and the unique constraint stops a second row. SQLite serialises
writers with IMMEDIATE transactions (settings); tested on that path as well.
"""

import threading

import pytest
from django.db import connections

from participation.consultations import services
from participation.consultations.models import Answer, Response, Tally
from tests import factories as people
from tests.participation.consultations import factories

pytestmark = pytest.mark.django_db(transaction=True)

SECTORS = ["local_government", "civil_society", "academia", "private_sector"]


@pytest.fixture
def home_page(transactional_db):
    """The home page, after putting back what an earlier test's flush removed."""
    import io

    from django.conf import settings
    from wagtail.models import Locale, Page

    from allas_site.core.demo import load_home

    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return load_home(io.StringIO())


def _submit_all(page, calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def worker(n, user):
        try:
            barrier.wait(timeout=30)
            services.do_save_response(user, page, factories.complete_answers(page, choice=n % 3),
                                      submit=True, sector=SECTORS[n % 4], city="Quito")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.parametrize("count", [30])
def test_simultaneous_submissions_are_all_counted_once(home_page, count):
    page = factories.consultation(factories.index(home_page))
    users = [people.learner() for _ in range(count)]
    # Every person once, and a third of them a second time at the same instant.
    calls = list(enumerate(users)) + list(enumerate(users[: count // 3]))
    errors = _submit_all(page, calls)
    assert errors == []
    assert Response.objects.filter(consultation=page).submitted().count() == count
    single = factories.questions(page)["single_choice"]
    assert Answer.objects.filter(question_id=single.id).count() == count
    assert Tally.objects.get(pk=page.pk).change_seq == len(calls)
