from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from allas_site.core.demo import DEMO_PASSWORD, DEMO_PEOPLE, load_demo


class Command(BaseCommand):
    help = "Load the AL-LAs Campus demo content (idempotent: safe to run again)."

    def handle(self, *args, **options):
        # Demo people must never receive real mail (enrolments, certificates…).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            created = load_demo(self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({len(created)} new accounts)."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for person in DEMO_PEOPLE:
            role = "superuser" if person.superuser else (person.role or "Learner")
            self.stdout.write(f"  {person.email:<24} {role:<11} {person.display_name}")
