"""The task worker (``manage.py db_worker``): django-tasks-db's, riding out outages.

django-tasks-db's worker exits on the first database error that is not a lock, so a
PostgreSQL restart stopped e-mails, reminders and search indexing until something
restarted the process. This one (the same options; core comes before django_tasks_db in
INSTALLED_APPS, so ``db_worker`` is this command) waits and tries again when the error is
an outage (``core.outage``), with a growing pause, and carries on where it was; any other
error still ends it, as before. A task the outage interrupted (its result could not even
be recorded) is queued again rather than left "running" for ever: tasks may run twice,
never zero times.
"""

import logging
import time

from django.db import connections
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from allas_site.core.outage import outage_kind

logger = logging.getLogger(__name__)

FIRST_PAUSE_S = 1.0
LONGEST_PAUSE_S = 30.0


class OutageTolerantWorker(db_worker.Worker):
    interrupted = None  # the task an outage cut short, to queue again

    def run(self):
        pause = FIRST_PAUSE_S
        while self.running:
            started = time.monotonic()
            try:
                self.requeue_interrupted()
                return super().run()
            except Exception as error:
                if outage_kind(error) != "database":
                    raise
                if time.monotonic() - started > LONGEST_PAUSE_S:
                    pause = FIRST_PAUSE_S  # it had been running well: a new outage
                logger.warning("database unavailable, tasks resume in %.0f s: %r", pause, error)
            # A broken connection would fail the next attempt too.
            connections.close_all()
            self.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE_S)
        return None

    def run_task(self, db_task_result):
        self.interrupted = db_task_result.pk
        super().run_task(db_task_result)  # records success or failure itself...
        self.interrupted = None  # ...unless the database went away meanwhile

    def requeue_interrupted(self):
        if self.interrupted is not None:
            DBTaskResult.objects.filter(
                pk=self.interrupted, status=TaskResultStatus.RUNNING
            ).update(status=TaskResultStatus.READY)
            logger.warning("task %s was interrupted by the outage: queued again", self.interrupted)
            self.interrupted = None

    def sleep(self, seconds):
        """Sleep in short steps, so SIGTERM (which clears ``running``) ends it promptly."""
        until = time.monotonic() + seconds
        while self.running and time.monotonic() < until:
            time.sleep(min(0.2, until - time.monotonic()))


class Command(db_worker.Command):
    help = "Run the database task worker; it waits out database outages instead of exiting"

    def handle(self, *args, **options):
        original = db_worker.Worker
        db_worker.Worker = OutageTolerantWorker  # what the parent's handle builds
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
