"""Hostile values the fuzzer found in the Café: a clear answer, never a 500."""

import pytest
from django.urls import reverse

from community import services
from community.models import Post
from tests import factories
from tests.community.factories import CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def debate():
    category = CategoryFactory(read_access="everyone", post_access="members",
                               approve_first_posts=False)
    return services.do_start_debate(factories.expert(), category, title="T", body="Apertura")


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999999", "-1", "1\x00"])
def test_quoting_a_hostile_id_shows_the_debate(client, debate, value):
    client.force_login(factories.learner())
    response = client.get(debate.get_absolute_url(), {"citar": value})
    # NUL characters are refused for every parameter with a 400 (request_guard).
    assert response.status_code == (400 if "\x00" in value else 200)


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999999", "0"])
def test_the_no_js_reply_form_with_a_bad_quote_is_a_form_error(client, debate, value):
    client.force_login(factories.learner())
    response = client.post(reverse("community:reply", args=[debate.pk]),
                           {"body": "Mi respuesta", "quote_of": value})
    assert response.status_code in {200, 400}
    assert Post.objects.filter(debate=debate).count() == 1  # nothing half-written


@pytest.mark.parametrize("value", ["²", "99999999999999999999999", "x"])
def test_starting_a_debate_from_a_hostile_page_id(client, debate, value):
    client.force_login(factories.expert())
    assert client.get(reverse("community:debate_new"), {"pagina_id": value}).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/cafe/debates/99999999999999999999999/", "/cafe/debates/9223372036854775808/",
     "/cafe/mensajes/99999999999999999999999/", "/cuadernos/citar/99999999999999999999999.bib",
     "/cuadernos/descargar/99999999999999999999999/es/", "/cafe/debates/0/"],
)
def test_ids_beyond_a_database_column_are_not_found(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("page_id", ["1", "00001"])
def test_the_not_translated_page_of_the_tree_root_is_not_found(client, moderator, page_id):
    client.force_login(moderator)
    assert client.get(f"/en/sin-traducir/{page_id}/").status_code == 404
