from django.core.management.base import BaseCommand

from community.tasks import send_digests


class Command(BaseCommand):
    help = "Send the daily Café digest to members who chose it (run once a day)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="queue for the task worker")

    def handle(self, *args, **options):
        if options["enqueue"]:
            send_digests.enqueue()
            self.stdout.write("Digest task queued.")
            return
        sent = send_digests.call()
        self.stdout.write(f"{sent} digest e-mails sent.")
