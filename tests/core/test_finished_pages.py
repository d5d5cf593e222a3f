"""Issue 13, finished pages: one relative-time style, one duration style, empty states
with a next step, generated covers without the title, Café details (reactions, meta
line, sessions) and Spanish opening question and exclamation marks."""

import datetime
import io
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

from allas_site.core.formats import duration, relative_time
from community import services as cafe
from tests import factories
from tests.community.factories import CategoryFactory
from tests.courses import factories as course_factories
from tests.publications import factories as pub_factories

NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)


def ago(**delta):
    return NOW - datetime.timedelta(**delta)


# --- relative times --------------------------------------------------------------------

@pytest.mark.parametrize(("moment", "words"), [
    (ago(seconds=0), "ahora mismo"),
    (ago(seconds=59), "ahora mismo"),
    (NOW + datetime.timedelta(seconds=30), "ahora mismo"),
    (ago(minutes=1), "hace 1 minuto"),
    (ago(minutes=5, seconds=40), "hace 5 minutos"),
    (ago(hours=1, minutes=59), "hace 1 hora"),
    (ago(hours=23), "hace 23 horas"),
    (ago(days=2, hours=3), "hace 2 días"),
    (ago(days=9), "hace 1 semana"),
    (NOW + datetime.timedelta(days=2, hours=1), "dentro de 2 días"),
    (NOW + datetime.timedelta(minutes=10), "dentro de 10 minutos"),
])
def test_relative_time_in_spanish(moment, words):
    with translation.override("es"):
        assert relative_time(moment, now=NOW) == words


def test_relative_time_never_says_zero_minutes():
    with translation.override("es"):
        for seconds in range(0, 3600, 7):
            assert not relative_time(ago(seconds=seconds), now=NOW).startswith(("0", "hace 0"))


def test_beyond_four_weeks_the_date_is_clearer():
    with translation.override("es"):
        words = relative_time(ago(days=40), now=NOW)
    assert "hace" not in words and "2026" in words


@pytest.mark.parametrize(("language", "now_words", "minutes_words", "future_words"), [
    ("en", "just now", "5 minutes ago", "in 2 days"),
    ("fr", "à l’instant", "il y a 5 minutes", "dans 2 jours"),
    ("pt", "agora mesmo", "há 5 minutos", "daqui a 2 dias"),
])
def test_relative_time_is_translated(language, now_words, minutes_words, future_words):
    with translation.override(language):
        assert relative_time(ago(seconds=10), now=NOW) == now_words
        assert relative_time(ago(minutes=5), now=NOW) == minutes_words
        assert relative_time(NOW + datetime.timedelta(days=2, minutes=5), now=NOW) == future_words


def test_the_template_tag_writes_a_time_element_with_the_exact_date():
    html = Template("{% load campus_formats %}{% time_ago moment %}").render(
        Context({"moment": timezone.now()})
    )
    assert re.fullmatch(r'<time datetime="[^"]+" title="[^"]+">ahora mismo</time>\s*', html)


# --- durations -------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "unit", "words"), [
    (45, "min", "45 min"), (180, "min", "3 h"), (90, "min", "1 h 30 min"),
    (12, "h", "12 h"), (1.5, "h", "1 h 30 min"), (0, "min", "0 min"),
])
def test_durations_in_one_style(value, unit, words):
    with translation.override("es"):
        assert duration(value, unit) == words


@pytest.mark.django_db
def test_a_course_shows_one_duration_on_its_card_and_its_page(client, home_page):
    index = course_factories.catalogue(home_page)
    course = course_factories.course(index, duration_hours=12)
    card = client.get(index.url).content.decode()
    page = client.get(course.url).content.decode()
    for html in (card, page):
        assert "12 h" in html
        assert "12 horas" not in html and "minutos de lectura" not in html
    # Lessons keep their own length, in the same style.
    assert "30 min" in page


# --- empty states ----------------------------------------------------------------------

def empty_state_links(html):
    return re.findall(
        r'class="empty-state__action"><a class="button button--ghost" href="([^"]+)">', html
    )


@pytest.mark.django_db
def test_an_empty_category_says_what_to_do_next(home_page):
    category = CategoryFactory(slug="vacia", read_access="everyone", post_access="members")
    anonymous = Client().get(f"/cafe/{category.slug}/").content.decode()
    assert empty_state_links(anonymous) == ["/cuentas/login/?next=/cafe/vacia/"]
    member = Client()
    member.force_login(factories.learner())
    html = member.get(f"/cafe/{category.slug}/").content.decode()
    assert empty_state_links(html) == ["/cafe/nuevo/?categoria=vacia"]


@pytest.mark.django_db
def test_my_learning_without_courses_links_to_the_catalogue(home_page):
    client = Client()
    client.force_login(factories.learner())
    html = client.get("/mi-aprendizaje/").content.decode()
    links = empty_state_links(html)
    # In progress, completed and certificates: each says where to go.
    assert links.count("/cursos/") >= 3, links
    assert "Todavía no tienes certificados." in html
    assert "{#" not in html and "{%" not in html  # the component's comment stays unprinted


@pytest.mark.django_db
def test_a_filter_that_matches_nothing_offers_to_clear_it(home_page):
    index = course_factories.catalogue(home_page)
    course_factories.course(index, duration_hours=12)
    html = Client().get(f"{index.url}?duracion=largo").content.decode()
    assert "Ningún curso coincide con estos filtros." in html
    assert empty_state_links(html) == [index.url]


@pytest.mark.django_db
def test_no_notifications_says_where_they_come_from(home_page):
    client = Client()
    client.force_login(factories.learner())
    html = client.get("/notificaciones/").content.decode()
    assert empty_state_links(html) == ["/cafe/"]


# --- publications ----------------------------------------------------------------------

@pytest.mark.django_db
def test_the_title_is_printed_once_and_the_cover_is_generated(home_page):
    index = pub_factories.cuadernos_index(home_page)
    topic = pub_factories.topic("redes-de-ciudades", "Redes de ciudades")
    page = pub_factories.publication(index, title="Ciudades en red", topics=[topic],
                                     series_number=7)
    html = Client().get(page.url).content.decode()
    assert html.count(">Ciudades en red<") == 1  # the h1; the cover has no words
    cover = re.search(r'<span class="pub-cover [^>]*>.*?</svg>\s*</span>', html, re.S).group(0)
    assert "Ciudades en red" not in cover
    assert 'pub-cover--cuaderno' in cover and 'data-pictogram="network"' in cover
    assert re.search(r'class="pub-cover__number"><span[^>]*>n\.º</span>7<', cover)
    listing = Client().get(index.url).content.decode()
    card = re.search(r'<li class="card pub-card">.*?</li>', listing, re.S).group(0)
    assert card.count("Ciudades en red") == 1 and 'data-pictogram="network"' in card


@pytest.mark.django_db
def test_the_demo_drops_only_the_covers_it_drew(home_page):
    """Covers an earlier demo drew with the title on them give way to generated ones;
    an uploaded cover stays."""
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Collection

    from allas_site.publications.demo import OLD_COVERS, drop_drawn_covers

    drawn = Collection.get_first_root_node().add_child(name=OLD_COVERS)
    index = pub_factories.cuadernos_index(home_page)
    uploaded = Image.objects.create(title="foto", file=get_test_image_file())
    old = pub_factories.publication(index, cover_image=Image.objects.create(
        title="portada", file=get_test_image_file(), collection=drawn))
    kept = pub_factories.publication(index, cover_image=uploaded)
    drop_drawn_covers(io.StringIO())
    drop_drawn_covers(io.StringIO())  # twice: nothing left to do
    old.refresh_from_db()
    kept.refresh_from_db()
    assert old.cover_image is None and kept.cover_image == uploaded
    assert old.get_latest_revision().as_object().cover_image is None
    assert 'class="pub-cover ' in Client().get(old.url).content.decode()


# --- Café ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_reaction_buttons_have_a_name_and_show_zero(home_page):
    category = CategoryFactory(slug="abierta", read_access="everyone", post_access="members")
    debate = cafe.do_start_debate(factories.expert(), category, title="Un debate", body="Hola")
    client = Client()
    client.force_login(factories.learner())
    html = client.get(f"/cafe/debates/{debate.pk}/").content.decode()
    buttons = re.findall(r'<button type="submit" name="kind".*?</button>', html, re.S)
    assert len(buttons) >= 3
    for button in buttons:
        label = re.search(r'class="cafe-reaction__label">([^<]+)<', button).group(1)
        count = re.search(r'class="cafe-reaction__count" data-count="\w+">([^<]*)<', button)
        assert label.strip() and count.group(1) == "0"


@pytest.mark.django_db
def test_the_debate_line_has_no_stray_separator(home_page):
    category = CategoryFactory(slug="abierta", read_access="everyone", post_access="members")
    debate = cafe.do_start_debate(factories.expert(), category, title="Un debate", body="Hola")
    debate.is_pinned = True
    debate.save(update_fields=["is_pinned"])
    html = Client().get(f"/cafe/debates/{debate.pk}/").content.decode()
    info = re.search(r'<p class="muted cafe-debate-info">(.*?)</p>', html, re.S).group(1)
    text = re.sub(r"<[^>]+>", " ", info)
    assert not re.search(r"^\W*·", re.sub(r"Fijado|Cerrado", "", text).strip())


@pytest.mark.django_db
def test_a_new_debate_was_active_just_now(home_page):
    category = CategoryFactory(slug="abierta", read_access="everyone", post_access="members")
    cafe.do_start_debate(factories.expert(), category, title="Recién abierto", body="Hola")
    html = Client().get("/cafe/abierta/").content.decode()
    assert "ahora mismo" in html and "0 minutos" not in html
    assert "Sin respuestas todavía" in html and "0 respuestas" not in html


# --- Spanish punctuation ---------------------------------------------------------------

def test_every_spanish_question_and_exclamation_opens():
    """Each msgid (the Spanish text) that closes ? or ! opens it with ¿ or ¡."""
    catalogue = Path(settings.BASE_DIR) / "site" / "locale" / "en" / "LC_MESSAGES" / "django.po"
    with catalogue.open("rb") as handle:
        messages = read_po(handle)
    wrong = []
    for message in messages:
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            words = re.sub(r"https?://\S+|\?[a-z_-]+=", "", text or "")
            if words.count("?") > words.count("¿") or words.count("!") > words.count("¡"):
                wrong.append(text)
    assert wrong == []
