"""Shared home sections are rendered once, for nobody in particular, and every visitor
(anonymous or signed in) gets that same HTML; personal parts stay outside them."""

import unittest.mock

import pytest
from django.test import Client

from allas_site.core import home_sections
from tests.publications import factories

pytestmark = pytest.mark.django_db


def topics_section(html):
    start = html.index('class="section section--temas"')
    return html[start:html.index("</section>", start)]


@pytest.fixture
def featured(home_page, settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request renders the page
    factories.topic("redes", "Redes de ciudades", featured=True)


def test_a_shared_section_is_rendered_once_and_shown_to_everyone(
    client, featured, learner, monkeypatch
):
    renders = []
    real = home_sections.render_to_string

    def spy(template, context=None, request=None, **kwargs):
        renders.append((template, request.user.is_authenticated))
        return real(template, context, request=request, **kwargs)

    monkeypatch.setattr(home_sections, "render_to_string", spy)
    learner.display_name = "Quimey Personal"
    learner.save()
    member = Client()
    member.force_login(learner)
    first = member.get("/").content.decode()  # a member fills the shared sections
    assert "Quimey" in first and "data-bell" in first
    anonymous = client.get("/").content.decode()
    again = member.get("/").content.decode()
    assert "Redes de ciudades" in topics_section(anonymous)
    assert topics_section(anonymous) == topics_section(first) == topics_section(again)
    assert "Quimey" not in anonymous and "data-bell" not in anonymous
    # Each shared section once, rendered for nobody, whoever asked first.
    assert renders and not any(signed_in for _template, signed_in in renders)
    assert len(renders) == len({template for template, _signed_in in renders})


def test_each_language_and_zone_gets_its_own_rendering(client, featured, settings):
    spanish = client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert '<html lang="es">' in spanish and '<html lang="en">' in english
    assert "Redes de ciudades" in topics_section(spanish)
    settings.TIME_ZONE = "America/Bogota"  # another zone: not the Madrid rendering
    keys = []
    real = home_sections.prerendered

    def spy(request, section):
        keys.append(section.key if section else None)
        return real(request, section)

    with unittest.mock.patch.object(home_sections, "prerendered", spy):
        client.get("/")
    assert "temas" in keys
