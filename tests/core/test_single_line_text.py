"""Names and titles are stored on one line, whichever way they arrive."""

import pytest
from django.core import mail
from django.urls import reverse

from allas_site.core.text import single_line
from community import services
from community.models import Debate
from tests import factories
from tests.community.factories import CategoryFactory


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Ciudades\nen red", "Ciudades en red"),
        ("  Ciudades\r\n\ten   red ", "Ciudades en red"),
        ("Hermanamientos\x00 vivos", "Hermanamientos vivos"),
        ("Bogotá\u2028Quito\u2029Lima", "Bogotá Quito Lima"),  # Unicode line separators
        ("Diplomacia\u200b urbana\u202e", "Diplomacia urbana"),  # zero-width, bidi override
        ("Cooperacio\u0301n", "Cooperación"),  # decomposed accents become one letter
        ("Ana O’Brien – São Paulo", "Ana O’Brien – São Paulo"),
    ],
)
def test_single_line(raw, clean):
    assert single_line(raw) == clean


@pytest.mark.django_db
def test_models_store_single_lines_even_from_services():
    author = factories.expert()
    category = CategoryFactory(approve_first_posts=False)
    debate = services.do_start_debate(
        author, category, title="Redes\nde ciudades\r\nBcc: todos@example.org", body="Hola"
    )
    debate.refresh_from_db()
    assert debate.title == "Redes de ciudades Bcc: todos@example.org"
    author.display_name = "Mariana\tOrtega\n"
    author.save()
    author.refresh_from_db()
    assert author.display_name == "Mariana Ortega"


@pytest.mark.django_db
def test_a_debate_title_with_a_line_break_still_gets_its_reply_emails(
    client, django_capture_on_commit_callbacks
):
    category = CategoryFactory(approve_first_posts=False)
    starter = factories.expert(email="inicia@example.org")
    replier = factories.expert()
    client.force_login(starter)
    response = client.post(
        reverse("community:debate_new"),
        {"category": category.pk, "title": "Agenda 2030\nen lo local", "body": "¿Cómo?"},
    )
    assert response.status_code in {302, 303}
    debate = Debate.objects.get()
    assert debate.title == "Agenda 2030 en lo local"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.do_create_post(replier, debate, "Con indicadores locales.")
    subjects = [message.subject for message in mail.outbox]
    assert any("Agenda 2030 en lo local" in subject for subject in subjects), subjects
