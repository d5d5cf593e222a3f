"""Writes of the Cuadernos collection: relatoría drafts, download counts, uploads.

``check_*`` validates and checks permission (raises ``PublicationError`` or
``PermissionDenied`` with a reason), ``do_*`` writes in one transaction.
"""

import bleach
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Locale

from allas_site.accounts import roles
from allas_site.publications.models import (
    EditionDownload,
    PublicationIndexPage,
    PublicationPage,
    PublicationType,
)

RELATORIA_TAGS = ["p", "br", "b", "strong", "i", "em", "a", "ul", "ol", "li", "h3"]
PDF_MAGIC = b"%PDF-"


class PublicationError(ValidationError):
    pass


# --- Relatorías (drafts created by the Café) --------------------------------------------


def collection_index(locale=None):
    """The Cuadernos index of ``locale`` (the default language's when it has none)."""
    locale = locale or Locale.get_default()
    index = PublicationIndexPage.objects.filter(locale=locale).first()
    if index is None:
        index = PublicationIndexPage.objects.filter(locale=Locale.get_default()).first()
    return index


def check_create_relatoria(actor, *, title, source_url):
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Inicia sesión para proponer una relatoría."))
    if not (
        roles.has_role(actor, roles.MODERATORS)
        or roles.has_role(actor, roles.EDITORS)
        or roles.has_role(actor, roles.EXPERTS)
    ):
        raise PermissionDenied(
            _("Solo el equipo editorial, la moderación o las personas expertas pueden "
              "proponer relatorías.")
        )
    title = (title or "").strip()
    if not title:
        raise PublicationError(_("La relatoría necesita un título."))
    if len(title) > 255:
        raise PublicationError(_("El título no puede pasar de 255 caracteres."))
    if len(source_url or "") > 500:
        raise PublicationError(_("La dirección de origen es demasiado larga."))
    index = collection_index()
    if index is None:
        raise PublicationError(_("Todavía no existe la colección de Cuadernos."))
    return title, index


def _unique_slug(parent, title):
    base = slugify(title)[:70] or "relatoria"
    slug, n = base, 1
    siblings = parent.get_children()
    while siblings.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _topic_ids(topics):
    return [getattr(topic, "pk", topic) for topic in topics]


@transaction.atomic
def do_create_relatoria_draft(actor, *, title, body_html, source_url, topics=()):
    """Create a draft relatoría under the Cuadernos index and submit it to the
    collection's moderation workflow (when one applies). Runs in one transaction;
    returns the (not live) ``PublicationPage``."""
    title, index = check_create_relatoria(actor, title=title, source_url=source_url)
    clean_html = bleach.clean(
        body_html or "", tags=RELATORIA_TAGS, attributes={"a": ["href"]}, strip=True
    )
    page = PublicationPage(
        title=title,
        slug=_unique_slug(index, title),
        publication_type=PublicationType.RELATORIA,
        publication_date=timezone.localdate(),
        language=index.locale.language_code,
        source_url=source_url or "",
        body=[("paragraph", clean_html)] if clean_html.strip() else [],
        live=False,
        owner=actor,
    )
    from allas_site.topics.models import Topic

    page.topics = list(Topic.objects.filter(pk__in=_topic_ids(topics)))
    index.add_child(instance=page)
    page.save_revision(user=actor, log_action=True)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, actor)
    return page


# --- Moderation workflow ----------------------------------------------------------

# Wagtail's migrations create the moderation workflow and its task as "Moderators
# approval". A name is database content, shown as stored in every admin language, so
# the campus name is Spanish first and keeps the English for editors who use another.
UPSTREAM_MODERATION_NAME = "Moderators approval"
MODERATION_WORKFLOW_NAME = "Aprobación de moderadores (Moderators approval)"


@transaction.atomic
def do_name_moderation_workflow():
    """Give Wagtail's default workflow and task the campus name, as migration
    publications 0003 does, for a workflow created under the upstream name since.
    Runs in one transaction; returns how many rows were renamed."""
    from wagtail.models import Task, Workflow

    return sum(
        model.objects.filter(name=UPSTREAM_MODERATION_NAME).update(name=MODERATION_WORKFLOW_NAME)
        for model in (Workflow, Task)
    )


# --- Downloads ----------------------------------------------------------------


def check_download(page_id, language):
    """The live edition document of ``page_id`` in ``language``, or ``None``."""
    page = PublicationPage.objects.published().filter(pk=page_id).first()
    if page is None:
        return None, None
    edition = (
        page.editions.filter(language=language, document__isnull=False)
        .select_related("document")
        .first()
    )
    if edition is None:
        return page, None
    return page, edition.document


@transaction.atomic
def do_count_download(page, language):
    """Add one to the download counter of this edition (race-free: an UPDATE)."""
    counter, _created = EditionDownload.objects.get_or_create(page=page, language=language)
    EditionDownload.objects.filter(pk=counter.pk).update(count=models.F("count") + 1)


def download_counts(page):
    return dict(EditionDownload.objects.filter(page=page).values_list("language", "count"))


# --- Document uploads ----------------------------------------------------------------


def max_document_bytes():
    return getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", 30 * 1024 * 1024)


def check_document_upload(uploaded):
    """Refuse a ``.pdf`` that is not a PDF and any file over the size limit."""
    limit = max_document_bytes()
    if uploaded.size > limit:
        raise PublicationError(
            _("El archivo pesa %(size)s MB; el máximo es %(limit)s MB.")
            % {"size": round(uploaded.size / 1048576, 1), "limit": round(limit / 1048576)}
        )
    if uploaded.name.lower().endswith(".pdf"):
        position = uploaded.tell() if hasattr(uploaded, "tell") else 0
        uploaded.seek(0)
        head = uploaded.read(1024)
        uploaded.seek(position)
        if PDF_MAGIC not in head:
            raise PublicationError(
                _("El archivo tiene extensión .pdf pero no es un PDF válido.")
            )
    return uploaded
