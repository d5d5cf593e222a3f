"""``manage.py db_worker`` waits out a database outage instead of exiting."""

import pytest
from django.core.management import get_commands
from django.db import OperationalError, ProgrammingError, connection
from django_tasks_db.management.commands import db_worker as upstream

from allas_site.core.management.commands import db_worker

pytestmark = pytest.mark.django_db


def outage_error():
    """An error ``core.outage`` calls a database outage on this backend."""
    if connection.vendor == "sqlite":
        return OperationalError("database is locked")
    return OperationalError("connection failed: Connection refused")


def worker():
    return db_worker.OutageTolerantWorker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="test-worker", excluded_queue_names=[],
    )


def test_db_worker_is_the_outage_tolerant_one():
    assert get_commands()["db_worker"] == "allas_site.core"


def test_an_outage_is_waited_out_and_the_worker_carries_on(monkeypatch):
    attempts, pauses = [], []

    def run(self):
        attempts.append(1)
        if len(attempts) <= 3:
            raise outage_error()
        return "drained"

    monkeypatch.setattr(upstream.Worker, "run", run)
    monkeypatch.setattr(db_worker.OutageTolerantWorker, "sleep", lambda self, s: pauses.append(s))
    assert worker().run() == "drained"
    assert len(attempts) == 4
    assert pauses == [1.0, 2.0, 4.0]  # growing pauses between attempts


def test_any_other_error_still_ends_it(monkeypatch):
    def run(self):
        raise ProgrammingError("relation does not exist")

    monkeypatch.setattr(upstream.Worker, "run", run)
    with pytest.raises(ProgrammingError):
        worker().run()


def test_a_stopped_worker_does_not_try_again(monkeypatch):
    attempts = []

    def run(self):
        attempts.append(1)
        self.running = False  # SIGTERM arrived meanwhile
        raise outage_error()

    monkeypatch.setattr(upstream.Worker, "run", run)
    monkeypatch.setattr(db_worker.OutageTolerantWorker, "sleep", lambda self, s: None)
    assert worker().run() is None
    assert attempts == [1]


@pytest.mark.django_db(transaction=True)  # the loop closes connections, as requests do
def test_with_the_database_back_it_drains_the_queue():
    # The real loop, batch mode: nothing queued, so it returns at once.
    assert worker().run() is None


@pytest.mark.django_db(transaction=True)  # the worker closes its broken connections
def test_a_task_the_outage_cut_short_is_queued_again(monkeypatch):
    from django.utils import timezone
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.create(
        task_path="community.tasks.notify_readers", args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default", run_after=timezone.now(), status=TaskResultStatus.RUNNING,
        worker_ids=["test-worker"],
    )
    finished = DBTaskResult.objects.create(
        task_path="community.tasks.notify_readers", args_kwargs={"args": [2], "kwargs": {}},
        backend_name="default", run_after=timezone.now(), status=TaskResultStatus.SUCCESSFUL,
    )
    attempts = []

    def run(self):
        attempts.append(1)
        if len(attempts) == 1:
            # The task ran into the outage, and recording its failure failed too.
            self.interrupted = task.pk
            raise outage_error()
        return "drained"

    monkeypatch.setattr(upstream.Worker, "run", run)
    monkeypatch.setattr(db_worker.OutageTolerantWorker, "sleep", lambda self, s: None)
    tolerant = worker()
    assert tolerant.run() == "drained"
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY  # a worker picks it up again
    assert tolerant.interrupted is None
    finished.refresh_from_db()
    assert finished.status == TaskResultStatus.SUCCESSFUL
