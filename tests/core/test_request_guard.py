"""NUL characters in parameters are refused with a reason on every backend."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query", [{"q": "ciudad\x00es"}, {"pagina": "\x00"}, {"tema\x00": "1"}]
)
def test_query_strings_with_nul_are_a_400(client, home_page, query):
    response = client.get("/", query)
    assert response.status_code == 400
    assert "nulo" in response.content.decode()


def test_forms_with_nul_are_a_400(client, learner):
    client.force_login(learner)
    response = client.post("/cuentas/perfil/editar/", {"display_name": "Ana\x00"})
    assert response.status_code == 400


def test_ordinary_requests_pass(client, home_page):
    assert client.get("/", {"q": "ciudades"}).status_code == 200
