from django.core.management.base import BaseCommand

from search import indexing


class Command(BaseCommand):
    help = (
        "Rebuild the site search: every page, topic, partner, expert, debate and post "
        "projected again into search documents and indexed (Wagtail's own update_index "
        "indexes models, not this projection)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pdfs", action="store_true",
                            help="also read every PDF edition's text again (slow)")

    def handle(self, *args, pdfs=False, **options):
        if pdfs:
            from allas_site.publications.models import PublicationEdition
            from search.tasks import extract_edition_text

            for pk in PublicationEdition.objects.filter(document__isnull=False).values_list(
                "pk", flat=True
            ):
                extract_edition_text.call(pk)
        indexing.rebuild(stdout=self.stdout)
