"""The editor's path in the Wagtail admin (Django test client): a city editor creates a
consultation with its survey under /consultas/, submits it to moderation, a moderator
approves it; the editor turns the English alias into a translation and rewords the
survey (the same block and option ids); a member answers from /en/ and the answer
counts in the original under the original's ids."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale
from wagtail.test.utils.form_data import nested_form_data

from participation.consultations import services
from participation.consultations.models import ConsultationPage, Response
from tests.participation.consultations import factories
from tests.webinars.test_editor_flow import _approve, _errors

pytestmark = pytest.mark.django_db

# What Draftail sends for an empty rich text field (a content state, not "").
EMPTY_RICH_TEXT = '{"blocks": [], "entityMap": {}}'


def _survey(questions):
    """StreamField form data for ``questions``: (type, label, options, block id, option ids)."""
    data = {"survey-count": str(len(questions))}
    for n, (kind, label, options, block_id, option_ids) in enumerate(questions):
        prefix = f"survey-{n}"
        data.update({f"{prefix}-type": kind, f"{prefix}-deleted": "", f"{prefix}-order": str(n),
                     f"{prefix}-id": block_id or "", f"{prefix}-value-question": label,
                     f"{prefix}-value-help_text": "", f"{prefix}-value-required": "on"})
        if kind == "scale":
            data.update({f"{prefix}-value-min_label": "", f"{prefix}-value-max_label": ""})
        if options is not None:
            data[f"{prefix}-value-options-count"] = str(len(options))
            for k, text in enumerate(options):
                item = f"{prefix}-value-options-{k}"
                data.update({f"{item}-value": text, f"{item}-deleted": "",
                             f"{item}-order": str(k),
                             f"{item}-id": option_ids[k] if option_ids else ""})
    return data


def _form(title, slug, partner, survey, **extra):
    now = timezone.localtime()
    return {**nested_form_data({
        "title": title, "slug": slug, "owner_partner": str(partner.pk),
        "summary": "¿Qué agenda internacional quiere la ciudad?",
        "context": EMPTY_RICH_TEXT, "information_from": "",
        "opens_at": (now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + timedelta(days=10)).strftime("%Y-%m-%d %H:%M"),
        "return_expected_on": "", "results_visibility": "after_answer",
        "return_text": EMPTY_RICH_TEXT,
        "related_publication": "", "related_course": "", "related_webinar": "",
        "related_debate": "", **extra,
    }), **survey}


def test_editor_creates_translates_and_members_answer_in_english(client, consultations_index,
                                                                editor, moderator, learner):
    partner = factories.partner("quito")
    client.force_login(editor)
    add = reverse("wagtailadmin_pages:add",
                  args=["consultations", "consultationpage", consultations_index.pk])
    assert client.get(add).status_code == 200
    survey = _survey([("single_choice", "¿Prioridad?", ["Cooperación", "Inversión"], None, None),
                      ("scale", "¿Cuánto conoces?", None, None, None)])
    response = client.post(add, {**_form("Agenda de Quito", "agenda-quito", partner, survey),
                                 "action-submit": "Submit"})
    assert response.status_code == 302, _errors(response)
    page = ConsultationPage.objects.get(slug="agenda-quito", alias_of__isnull=True)
    assert not page.live
    _approve(client, moderator, page)
    page.refresh_from_db()
    assert page.live and page.owner_partner == partner
    questions = services.questions_for(page, page)
    assert [q.kind for q in questions] == ["single_choice", "scale"]

    # "Translate this page" on the English alias, then the survey reworded, same ids.
    alias = page.get_translation(Locale.objects.get(language_code="en"))
    client.force_login(editor)
    assert client.post(reverse("wagtailadmin_pages:convert_alias", args=[alias.pk])) \
        .status_code == 302
    single, scale = questions
    english = _survey([
        ("single_choice", "Priority?", ["Cooperation", "Investment"], single.id,
         single.option_ids),
        ("scale", "How well do you know it?", None, scale.id, None)])
    edit = reverse("wagtailadmin_pages:edit", args=[alias.pk])
    response = client.post(edit, {**_form("Quito's agenda", "agenda-quito", partner, english),
                                  "action-submit": "Submit"})
    assert response.status_code == 302, _errors(response)
    _approve(client, moderator, ConsultationPage.objects.get(pk=alias.pk))

    client.force_login(learner)
    form = client.get("/en/consultas/agenda-quito/participar/").content.decode()
    assert "Priority?" in form and "Investment" in form
    response = client.post("/en/consultas/agenda-quito/participar/", {
        "sector": "private_sector", "city": "Quito", "action": "submit",
        f"q-{single.id}": single.option_ids[1], f"q-{scale.id}": "3"})
    assert response.status_code == 302
    saved = Response.objects.get(user=learner)
    assert saved.consultation_id == page.pk
    assert saved.answers == {single.id: single.option_ids[1], scale.id: 3}
