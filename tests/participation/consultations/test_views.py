"""The consultation's pages: four languages, log-in for participation, form errors as
400 pages (never a 500), results by sector with a constant number of queries, the
editors' export and moderation, a person's data export."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation.consultations import results, services
from participation.consultations.models import Answer, Response
from tests import factories as people
from tests.participation.consultations import factories

pytestmark = pytest.mark.django_db


def url(page, tail="", language=""):
    prefix = f"/{language}" if language else ""
    return f"{prefix}/consultas/{page.slug}/{tail}"


@pytest.mark.parametrize("language", ["", "en", "fr", "pt"])
def test_index_and_consultation_in_every_language(client, consultation, language):
    prefix = f"/{language}" if language else ""
    assert client.get(f"{prefix}/consultas/").status_code == 200
    response = client.get(url(consultation, language=language))
    assert response.status_code == 200
    assert consultation.title in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, consultation):
    response = client.get(url(consultation, "participar/"))
    assert response.status_code == 302 and "/cuentas/" in response["Location"]
    response = client.post(url(consultation, "participar/"), {"sector": "academia"})
    assert response.status_code == 302
    assert not Response.objects.exists()


def test_member_answers_through_the_form(client, consultation, learner):
    client.force_login(learner)
    assert client.get(url(consultation, "participar/")).status_code == 200
    q = factories.questions(consultation)
    ranking = q["ranking"].option_ids
    data = {
        "sector": "civil_society", "city": "Medellín", "action": "submit",
        f"q-{q['single_choice'].id}": q["single_choice"].option_ids[1],
        f"q-{q['multiple_choice'].id}": q["multiple_choice"].option_ids[:2],
        f"q-{q['scale'].id}": "5",
        f"q-{q['short_text'].id}": "Mercociudades",
        **{f"q-{q['ranking'].id}-{oid}": str(n) for n, oid in enumerate(ranking, start=1)},
    }
    response = client.post(url(consultation, "participar/"), data)
    assert response.status_code == 302
    saved = Response.objects.get(user=learner)
    assert saved.is_submitted and saved.sector == "civil_society"
    assert saved.answers[q["ranking"].id] == ranking


@pytest.mark.parametrize("field,value", [
    ("single", "nope"), ("scale", "9"), ("short", "x" * 500), ("rank", "7"), ("sector", "x"),
])
def test_bad_form_input_is_a_400_with_the_reason(client, consultation, learner, field, value):
    client.force_login(learner)
    q = factories.questions(consultation)
    data = {"sector": "academia", "city": "Quito", "action": "submit",
            f"q-{q['single_choice'].id}": q["single_choice"].option_ids[0],
            f"q-{q['scale'].id}": "3"}
    names = {"single": f"q-{q['single_choice'].id}", "scale": f"q-{q['scale'].id}",
             "short": f"q-{q['short_text'].id}",
             "rank": f"q-{q['ranking'].id}-{q['ranking'].option_ids[0]}", "sector": "sector"}
    data[names[field]] = value
    response = client.post(url(consultation, "participar/"), data)
    assert response.status_code == 400
    assert 'class="form-errors"' in response.content.decode()
    assert not Response.objects.exists()


def test_draft_button_saves_without_required_answers(client, consultation, learner):
    client.force_login(learner)
    response = client.post(url(consultation, "participar/"),
                           {"sector": "academia", "city": "Quito", "action": "draft"})
    assert response.status_code == 302
    assert Response.objects.get().status == "draft"
    page = client.get(url(consultation, "participar/")).content.decode()
    assert "Guardar borrador" in page


def test_answer_to_a_closed_consultation_is_a_409(client, closed_consultation, learner):
    client.force_login(learner)
    response = client.post(url(closed_consultation, "participar/"),
                           {"sector": "academia", "city": "Quito", "action": "submit"})
    assert response.status_code == 409
    assert not Response.objects.exists()


def test_delete_my_answers_from_the_page(client, consultation, learner):
    services.do_save_response(learner, consultation, factories.complete_answers(consultation),
                              submit=True, sector="academia", city="Quito")
    client.force_login(learner)
    assert client.get(url(consultation, "mis-respuestas/borrar/")).status_code == 405
    assert client.post(url(consultation, "mis-respuestas/borrar/")).status_code == 302
    assert not Response.objects.exists()


def _crowd(page, count, sectors):
    users = [people.UserFactory() for _ in range(count)]
    q = factories.questions(page)
    for n, user in enumerate(users):
        answers = factories.complete_answers(page, choice=n % 3, scale=1 + n % 5)
        answers[q["long_text"].id] = f"Idea {n}"
        services.do_save_response(user, page, answers, submit=True,
                                  sector=sectors[n % len(sectors)], city="Quito")


def test_results_break_down_only_sectors_with_five_responses(closed_consultation):
    from datetime import timedelta
    from unittest import mock

    page = closed_consultation
    with mock.patch("django.utils.timezone.now", return_value=page.opens_at + timedelta(hours=1)):
        _crowd(page, 6, ["academia"])
        _crowd(page, 2, ["private_sector"])
        _crowd(page, 2, ["international"])
        _crowd(page, 1, ["civil_society"])
    summary = results.results_for(page, services.questions_for(page, page))
    keys = [group.key for group in summary.groups]
    assert keys == ["total", "academia", "others"]  # 2 + 2 + 1 pooled = 5
    assert summary.total == 11
    single = summary.questions[0]
    assert sum(row.cells[0][0] for row in single.rows) == 11
    assert sum(row.cells[1][0] for row in single.rows) == 6


def _bulk_answers(page, people_count, sectors):
    """``people_count`` submitted responses with five answers each, written in bulk (the
    services would take minutes for 10,000 answers; the counting is what is measured)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    User = get_user_model()
    users = User.objects.bulk_create(
        [User(email=f"bulk{n}@example.invalid") for n in range(people_count)])
    users = User.objects.filter(email__endswith="@example.invalid").order_by("pk")
    q = factories.questions(page)
    now = timezone.now()
    responses = Response.objects.bulk_create([
        Response(consultation=page, user=user, status="submitted", submitted_at=now,
                 sector=sectors[n % len(sectors)], city="Quito")
        for n, user in enumerate(users)])
    responses = Response.objects.filter(consultation=page, user__in=users)
    rows = []
    for n, response in enumerate(responses):
        base = {"response": response, "consultation": page, "sector": response.sector}
        rows += [
            Answer(question_id=q["single_choice"].id,
                   option=q["single_choice"].option_ids[n % 3], **base),
            Answer(question_id=q["scale"].id, option=str(1 + n % 5), position=1 + n % 5, **base),
            Answer(question_id=q["multiple_choice"].id,
                   option=q["multiple_choice"].option_ids[n % 3], **base),
            Answer(question_id=q["ranking"].id, option=q["ranking"].option_ids[0], position=1,
                   **base),
            Answer(question_id=q["long_text"].id, text=f"Masa {n}", text_html=f"<p>Masa {n}</p>",
                   text_status="approved", **base),
        ]
    Answer.objects.bulk_create(rows, batch_size=2000)


def test_results_page_queries_do_not_grow_with_answers(client, closed_consultation, editor):
    from datetime import timedelta
    from unittest import mock

    page = closed_consultation

    def count():
        client.get(url(page, "resultados/"))  # warm the site and locale caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(page, "resultados/"))
        assert response.status_code == 200
        return len(queries)

    sectors = ["academia", "civil_society", "local_government", "private_sector"]
    with mock.patch("django.utils.timezone.now", return_value=page.opens_at + timedelta(hours=1)):
        _crowd(page, 10, sectors)
    Answer.objects.exclude(text_status="").update(text_status="approved")
    few = count()
    _bulk_answers(page, 2000, sectors)  # 10,000 more answers
    assert Answer.objects.filter(consultation=page).count() > 10_000
    many = count()
    assert few == many <= 12  # pinned: counted in the database, not per answer
    body = client.get(url(page, "resultados/")).content.decode()
    assert '<svg class="chart" role="img"' in body and "<desc" in body and "<table" in body
    assert "Masa 1999" in body  # the newest approved texts, without names


def test_results_are_hidden_until_allowed(client, consultation, learner):
    assert client.get(url(consultation, "resultados/")).status_code == 403
    client.force_login(learner)
    assert client.get(url(consultation, "resultados/")).status_code == 403
    services.do_save_response(learner, consultation, factories.complete_answers(consultation),
                              submit=True, sector="academia", city="Quito")
    assert client.get(url(consultation, "resultados/")).status_code == 200


def test_pending_texts_are_not_shown(client, closed_consultation):
    from datetime import timedelta
    from unittest import mock

    page = closed_consultation
    with mock.patch("django.utils.timezone.now", return_value=page.opens_at + timedelta(hours=1)):
        _crowd(page, 5, ["academia"])
    body = client.get(url(page, "resultados/")).content.decode()
    assert "Idea 1" not in body


def test_export_is_formula_safe_and_only_for_the_consultations_editors(client, consultations_index,
                                                                      editor):
    page = factories.consultation(consultations_index, partner=factories.partner("medellin"))
    q = factories.questions(page)
    user = people.UserFactory()
    services.do_save_response(
        user, page, {**factories.complete_answers(page), q["short_text"].id: "=HYPERLINK(1)"},
        submit=True, sector="academia", city="@Quito")
    other_city = people.UserFactory(is_staff=True)
    lyon = factories.partner("lyon")
    lyon.people.add(other_city)
    lyon.save()
    from tests.participation.consultations.test_services import _grant_edit

    _grant_edit(other_city)
    client.force_login(other_city)
    # Wagtail's admin turns the services' refusal into a redirect with a message.
    for tail in ("exportar/?formato=csv", "", "moderacion/"):
        refused = client.get(f"/admin/consultas/{page.pk}/{tail}")
        assert refused.status_code in (302, 403) and b"Quito" not in refused.content
    client.force_login(editor)
    response = client.get(f"/admin/consultas/{page.pk}/exportar/?formato=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "'@Quito" in rows[1] and "'=HYPERLINK(1)" in rows[1]
    assert user.email not in response.content.decode()
    assert client.get(f"/admin/consultas/{page.pk}/exportar/?formato=pdf").status_code == 400
    xlsx = client.get(f"/admin/consultas/{page.pk}/exportar/?formato=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    for tail in ("moderacion/", "informe/"):
        assert client.get(f"/admin/consultas/{page.pk}/{tail}").status_code == 200


def test_moderation_queue_approves_texts(client, consultation, editor, learner):
    q = factories.questions(consultation)
    services.do_save_response(
        learner, consultation, {**factories.complete_answers(consultation),
                                q["long_text"].id: "Abrir las delegaciones"},
        submit=True, sector="academia", city="Quito")
    answer = Answer.objects.get(question_id=q["long_text"].id)
    client.force_login(editor)
    page = client.get(f"/admin/consultas/{consultation.pk}/moderacion/").content.decode()
    assert "Abrir las delegaciones" in page and learner.email not in page
    response = client.post(f"/admin/consultas/{consultation.pk}/moderacion/",
                           {"answer": [answer.pk], "action": "approve"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.text_status == "approved"


def test_personal_data_export_includes_answers(client, consultation, learner):
    services.do_save_response(learner, consultation, factories.complete_answers(consultation),
                              submit=True, sector="academia", city="Quito")
    client.force_login(learner)
    response = client.get(reverse("accounts:data_export"))
    assert response.status_code == 200
    data = response.json() if response["Content-Type"].startswith("application/json") else None
    text = response.content.decode()
    assert "consultations" in text and "¿Prioridad?" in text
    assert data is None or data["consultations"]["participant"]["city"] == "Quito"


def test_relatoria_draft_from_the_results(client, closed_consultation, editor, home_page):
    from allas_site.publications.models import PublicationIndexPage, PublicationPage

    collection = PublicationIndexPage(title="Cuadernos", slug="cuadernos")
    home_page.add_child(instance=collection)
    collection.save_revision().publish()
    client.force_login(editor)
    response = client.post(f"/admin/consultas/{closed_consultation.pk}/relatoria/")
    assert response.status_code == 302
    draft = PublicationPage.objects.get(publication_type="relatoria")
    assert not draft.live and closed_consultation.title in draft.title


def test_a_translated_survey_keeps_the_originals_question_ids(client, consultation, learner):
    import json

    from wagtail.models import Locale

    from allas_site.core import page_tree

    english = page_tree.start_translation(consultation, Locale.objects.get(language_code="en"))
    stream = json.loads(json.dumps(list(english.survey.raw_data)))
    stream[0]["value"]["question"] = "Priority?"
    stream[0]["value"]["options"][1]["value"] = "Investment"
    english.survey = json.dumps(stream)
    english.save_revision().publish()
    client.force_login(learner)
    form = client.get(url(consultation, "participar/", "en")).content.decode()
    assert "Priority?" in form and "Investment" in form
    q = factories.questions(consultation)
    response = client.post(url(consultation, "participar/", "en"), {
        "sector": "academia", "city": "Lyon", "action": "submit",
        f"q-{q['single_choice'].id}": q["single_choice"].option_ids[1],
        f"q-{q['scale'].id}": "2",
    })
    assert response.status_code == 302
    saved = Response.objects.get(user=learner)
    assert saved.consultation_id == consultation.pk and saved.language == "en"
    assert saved.answers[q["single_choice"].id] == q["single_choice"].option_ids[1]
    first = services.questions_for(english)[0]
    assert first.label == "Priority?" and first.id == q["single_choice"].id


def test_the_return_appears_on_the_page_once_published(client, closed_consultation, editor):
    page = closed_consultation
    page.return_text = "<p>La ciudad abrirá sus delegaciones.</p>"
    page.save_revision().publish()
    assert "abrirá sus delegaciones" not in client.get(url(page)).content.decode()
    client.force_login(editor)
    assert "Publicar la devolución" in client.get(
        f"/admin/consultas/{page.pk}/").content.decode()
    assert client.post(f"/admin/consultas/{page.pk}/devolucion/").status_code == 302
    client.logout()
    body = client.get(url(page)).content.decode()
    assert 'id="devolucion"' in body and "abrirá sus delegaciones" in body
    assert "Devolución: qué hará la ciudad" in body
