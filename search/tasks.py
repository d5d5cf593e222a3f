"""Background work of the search: PDF text extraction (slow for big files)."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)
MAX_PDF_PAGES = 400
MAX_TEXT = 200_000


def pdf_text(file):
    """The text of a PDF, page by page; an unreadable file gives ``""`` (logged)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(file)
        parts, size = [], 0
        for page in reader.pages[:MAX_PDF_PAGES]:
            chunk = page.extract_text() or ""
            parts.append(chunk)
            size += len(chunk)
            if size > MAX_TEXT:
                break
    except (PyPdfError, OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("PDF text extraction failed: %s", error)
        return ""
    return " ".join(" ".join(parts).split())[:MAX_TEXT]


@task()
def extract_edition_text(edition_id):
    """Read an edition's PDF into ``PublicationEdition.text``, then refresh the
    publication's search rows."""
    from allas_site.publications.models import PublicationEdition
    from search import indexing

    edition = (
        PublicationEdition.objects.select_related("document", "page").filter(pk=edition_id).first()
    )
    if edition is None or edition.document is None:
        return
    try:
        with edition.document.file.open("rb") as handle:
            extracted = pdf_text(handle)
    except OSError as error:
        logger.warning("Edition %s: PDF not readable: %s", edition_id, error)
        return
    PublicationEdition.objects.filter(pk=edition_id).update(text=extracted)
    page = edition.page.specific
    if page.live:
        indexing.refresh(page)
