"""A small campus to search: Cuadernos, a page, topics, partners, an expert, a course
with a locked and an open lesson, and Café debates in public, members' and experts'
categories."""

import copy
import io

import pytest
from wagtail.models import Locale

from allas_site.publications.models import StandardPage
from community import services as cafe
from tests import factories
from tests.community.factories import CategoryFactory
from tests.courses import factories as course_factories
from tests.kept import kept_for_module
from tests.publications import factories as pub

LOCKED_WORD = "xilografiaconfidencial"
MEMBERS_WORD = "palimpsestoreservado"
EXPERTS_WORD = "quimeraexpertisima"


def cuaderno(index, title, abstract, topics):
    page = pub.publication(index, title=title, topics=topics)
    page.abstract = abstract
    page.save_revision().publish()
    return page


@pytest.fixture(autouse=True)
def _no_waiting_search_counts():
    """Searches counted in this process by an earlier test stay out of this one's
    statistics (with Redis, clearing the cache clears them)."""
    from search import stats

    stats.discard()


@pytest.fixture(scope="module")
def campus_for_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for a module (see tests/conftest.py); each test gets its own copy of
    the objects, and its writes are rolled back after it."""
    from allas_site.core.demo import load_home
    with kept_for_module(django_db_blocker, tmp_path_factory) as media:
        world = build_campus(load_home(io.StringIO()))
        world["media"] = media
        yield world


@pytest.fixture
def campus(campus_for_module, db):
    return copy.deepcopy(campus_for_module)


def build_campus(home_page):
    index = pub.cuadernos_index(home_page)
    redes = pub.topic(slug="redes", name="Redes de ciudades")
    diplomacy = pub.topic(slug="diplomacia", name="Diplomacia de ciudades")
    world = {"index": index, "topics": {"redes": redes, "diplomacia": diplomacy}}
    world["urbana"] = cuaderno(
        index, "Diplomacia urbana para gobiernos locales",
        "Cómo las ciudades hacen política exterior.", [diplomacy],
    )
    world["scattered"] = cuaderno(
        index, "Guía de proyectos",
        "La diplomacia es una herramienta; la vida urbana, su escenario.", [redes],
    )
    world["cooperation"] = cuaderno(
        index, "Manual de cooperación descentralizada",
        "Internacionalización de la ciudad paso a paso.", [redes],
    )
    page = StandardPage(title="Sobre AL-LAs", slug="sobre-allas",
                        introduction="La alianza de ciudades euro-latinoamericana.")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    world["page"] = page
    world["quito"] = pub.partner(slug="quito", name="Quito", country="EC",
                                 description="Capital andina, socia fundadora.")
    person = factories.expert(display_name="Mariana Ortega",
                              expertise="hermanamientos, redes de ciudades")
    world["expert"] = person
    catalogue = course_factories.catalogue(home_page)
    course = course_factories.course(catalogue, title="Internacionalización estratégica")
    lessons = course_factories.lessons_of(course)
    locked, open_ = lessons[1], lessons[0]
    locked.body = [("paragraph", f"<p>Solo para inscritos: {LOCKED_WORD}.</p>")]
    locked.free_preview = False
    locked.save_revision().publish()
    open_.free_preview = True
    open_.save_revision().publish()
    world.update(course=course, locked=locked, open=open_)
    owner = factories.expert()
    world["debates"] = {}
    for slug, read, post, word in (
        ("publica", "everyone", "members", "hermanamiento abierto"),
        ("miembros", "members", "members", MEMBERS_WORD),
        ("expertos", "experts", "experts", EXPERTS_WORD),
    ):
        category = CategoryFactory(slug=slug, read_access=read, post_access=post,
                                   locale=Locale.get_default())
        world["debates"][slug] = cafe.do_start_debate(
            owner, category, title=f"Debate {slug}", body=f"Texto con {word}."
        )
    return world
