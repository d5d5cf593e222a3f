import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import WorkflowState

from allas_site.publications import services
from allas_site.publications.forms import DocumentForm
from allas_site.publications.models import PublicationPage
from allas_site.publications.pdf import make_pdf
from tests.publications import factories

pytestmark = pytest.mark.django_db


def test_relatoria_draft_is_saved_under_the_index_and_submitted(index, moderator):
    topic = factories.topic()
    page = services.do_create_relatoria_draft(
        moderator,
        title="Relatoría del debate sobre redes",
        body_html='<p>Resumen <script>alert(1)</script><a href="/cafe/" onclick="x">'
        "debate</a></p>",
        source_url="/cafe/debates/7/",
        topics=[topic],
    )
    page = PublicationPage.objects.get(pk=page.pk)
    assert page.get_parent().pk == index.pk
    assert not page.live
    assert page.publication_type == "relatoria"
    assert page.source_url == "/cafe/debates/7/"
    assert list(page.topics.all()) == [topic]
    assert page.latest_revision is not None
    html = str(page.body[0].value)
    assert "<script>" not in html and "onclick" not in html and "debate" in html
    # Wagtail's default "Moderators approval" workflow applies to the whole tree.
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_relatoria_accepts_topic_ids_and_makes_unique_slugs(index, editor):
    topic = factories.topic()
    first = services.do_create_relatoria_draft(
        editor, title="Misma idea", body_html="", source_url="", topics=[topic.pk]
    )
    second = services.do_create_relatoria_draft(
        editor, title="Misma idea", body_html="", source_url=""
    )
    assert first.slug != second.slug
    assert PublicationPage.objects.get(pk=first.pk).topics.get() == topic


def test_a_learner_cannot_create_a_relatoria(index, learner):
    with pytest.raises(PermissionDenied):
        services.do_create_relatoria_draft(learner, title="x", body_html="", source_url="")
    assert not PublicationPage.objects.exists()


def test_a_relatoria_needs_a_title(index, moderator):
    with pytest.raises(services.PublicationError):
        services.do_create_relatoria_draft(moderator, title="  ", body_html="", source_url="")


def test_no_index_is_a_clear_error(home_page, moderator):
    with pytest.raises(services.PublicationError):
        services.do_create_relatoria_draft(moderator, title="x", body_html="", source_url="")


def _form(upload):
    from wagtail.documents.forms import get_document_form
    from wagtail.documents.models import Document

    form_class = get_document_form(Document)
    assert issubclass(form_class, DocumentForm)
    return form_class(data={"title": "Documento"}, files={"file": upload}, user=None)


def test_a_fake_pdf_is_refused_with_a_message():
    form = _form(SimpleUploadedFile("falso.pdf", b"<html>no soy un pdf</html>"))
    assert not form.is_valid()
    assert "no es un PDF" in str(form.errors["file"])


def test_an_oversized_upload_is_refused(settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1000
    form = _form(SimpleUploadedFile("grande.pdf", make_pdf("x", ["y" * 80] * 40)))
    assert not form.is_valid()
    assert "máximo" in str(form.errors["file"])


def test_a_real_pdf_is_accepted():
    form = _form(SimpleUploadedFile("bueno.pdf", make_pdf("Cuaderno", ["texto"])))
    assert form.is_valid(), form.errors
