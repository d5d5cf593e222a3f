"""The Café listings and debate pages kept per process (community.listings): shared by
readers at the same level only, with each member's own marks and posts on top."""

import pytest
from django.test import Client

from community import services
from tests import factories
from tests.community.factories import add_posts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rendered(settings):
    # Anonymous pages are rendered too (not answered by the page cache), so they go
    # through the kept listings like a member's.
    settings.PAGE_CACHE_SECONDS = 0


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def row(html, title):
    """The class attribute of the debate row titled ``title`` (KeyError if absent)."""
    for part in html.split('<li class="cafe-debate')[1:]:
        if f">{title}</a>" in part:
            return part[: part.index('"')]
    raise KeyError(title)


def test_members_only_debates_are_kept_apart_from_what_visitors_read(
    client, public_category, members_category
):
    expert = factories.expert()
    services.do_start_debate(expert, public_category, title="Debate abierto", body="x")
    services.do_start_debate(expert, members_category, title="Solo miembros", body="x")
    member = logged_in(factories.learner())
    for _ in range(2):  # built, then kept
        assert "Solo miembros" in member.get("/cafe/").content.decode()
        anonymous = client.get("/cafe/").content.decode()
        assert "Debate abierto" in anonymous and "Solo miembros" not in anonymous


def test_unread_marks_are_each_members_own(public_category):
    debate = services.do_start_debate(factories.expert(), public_category,
                                      title="Debate abierto", body="x")
    reader, other = logged_in(factories.learner()), logged_in(factories.learner())
    other.get("/cafe/")  # the listing is kept before anyone reads the debate
    reader.get(debate.get_absolute_url())
    assert "unread" not in row(reader.get("/cafe/").content.decode(), "Debate abierto")
    assert "unread" in row(other.get("/cafe/").content.decode(), "Debate abierto")


def test_a_new_debate_shows_in_the_kept_listing_at_once(client, public_category):
    client.get("/cafe/")
    services.do_start_debate(factories.expert(), public_category, title="Recién abierto",
                             body="x")
    assert "Recién abierto" in client.get("/cafe/").content.decode()


def test_a_pending_post_shows_to_its_author_only(client, public_category, make_debate):
    debate = make_debate(public_category)
    url = debate.get_absolute_url()
    newcomer, other = factories.learner(), factories.learner()
    author, reader = logged_in(newcomer), logged_in(other)
    client.get(url), reader.get(url)  # the public posts are kept
    add_posts(debate, 1, author=newcomer, text="Esperando moderación {n}", status="pending")
    assert "Esperando moderación" in author.get(url).content.decode()
    assert "Esperando moderación" not in reader.get(url).content.decode()
    assert "Esperando moderación" not in client.get(url).content.decode()
    services.do_create_post(other, debate, "Una respuesta visible")
    assert "Una respuesta visible" in client.get(url).content.decode()
    assert "Una respuesta visible" in author.get(url).content.decode()


def test_reaction_counts_and_choices_follow_each_reader(public_category, make_debate):
    debate = make_debate(public_category)
    post = debate.posts.order_by("id").first()
    fan, other = factories.learner(), factories.learner()
    fan_page, other_page = logged_in(fan), logged_in(other)
    url = debate.get_absolute_url()
    other_page.get(url)
    services.do_toggle_reaction(fan, post, "like")
    mine = fan_page.get(url).content.decode()
    theirs = other_page.get(url).content.decode()
    assert 'value="like" class="cafe-reaction" aria-pressed="true"' in mine
    assert 'value="like" class="cafe-reaction" aria-pressed="false"' in theirs
    assert 'data-count="like">1<' in theirs
    # The token is the reader's own, outside the shared buttons.
    token = 'name="csrfmiddlewaretoken"'
    assert mine.count(token) == theirs.count(token) > 0


def test_a_members_marks_never_reach_the_shared_listing(client, home_page, public_category):
    # The kept listing's debates are shared by every request: the marks go on copies.
    services.do_start_debate(factories.expert(), public_category, title="Debate abierto",
                             body="x")
    member = logged_in(factories.learner())
    for path in ("/", "/cafe/"):
        client.get(path)  # kept, for nobody
        assert "unread" in row(member.get(path).content.decode(), "Debate abierto")
        assert "unread" not in row(client.get(path).content.decode(), "Debate abierto")
