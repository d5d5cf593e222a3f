from django.core.management.base import BaseCommand

from webinars.tasks import send_due_reminders


class Command(BaseCommand):
    help = (
        "Send the webinar reminders that are due (24 h and 1 h before); the scheduler "
        "runs it every minute. Each reminder is marked sent before it is queued, so a "
        "repeat or a second scheduler sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="queue for the task worker")

    def handle(self, *args, **options):
        if options["enqueue"]:
            send_due_reminders.enqueue()
            self.stdout.write("Reminder task queued.")
            return
        sent = send_due_reminders.call()
        self.stdout.write(f"{sent} webinar reminders queued.")
