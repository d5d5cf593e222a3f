"""The permission table: roles × actions × channels.

Roles: anonymous, member (Learner), expert, moderator, suspended member. Categories:
public (everyone reads, members post), members-only, experts-only. Channels: the pages,
form POST, fetch (JSON), WebSocket, notifications and feeds. Members-only content never
reaches anyone without the right.
"""

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from allas_site.asgi import application
from allas_site.notifications.models import Notification
from community import services
from community.models import Post, Reaction, Report, Suspension
from tests import factories
from tests.community.factories import CategoryFactory, add_posts

ROLES = ["anonymous", "member", "expert", "moderator", "suspended"]
CATEGORIES = {
    "public": ("everyone", "members"),
    "members": ("members", "members"),
    "experts": ("experts", "experts"),
}
ALL = set(CATEGORIES)
READ = {"anonymous": {"public"}, "member": {"public", "members"}, "expert": ALL,
        "moderator": ALL, "suspended": {"public", "members"}}
POST = {"anonymous": set(), "member": {"public", "members"}, "expert": ALL, "moderator": ALL,
        "suspended": set()}
REACT = REPORT = POST  # same people: members with access who are not suspended
EDIT_OTHER = {"moderator": ALL}
MODERATE = {"moderator": ALL}
SECRET = "Contenido-reservado-{slug}"


def make_user(role):
    if role == "anonymous":
        return None
    user = {"member": factories.learner, "expert": factories.expert,
            "moderator": factories.moderator, "suspended": factories.learner}[role]()
    if role == "suspended":
        Suspension.objects.create(user=user, until=timezone.now() + timedelta(days=2), reason="x")
    return user


def client_for(user):
    client = Client(enforce_csrf_checks=False)
    if user is not None:
        client.force_login(user)
    return client


def world():
    owner = factories.expert()
    debates = {}
    for slug, (read, post) in CATEGORIES.items():
        category = CategoryFactory(slug=slug, read_access=read, post_access=post)
        debate = services.do_start_debate(owner, category, title=f"Debate {slug}",
                                          body=SECRET.format(slug=slug))
        debates[slug] = debate
    return owner, debates


@pytest.fixture(autouse=True)
def _relaxed(settings):
    settings.CAFE_POST_RATE_LIMIT = (1000, 60)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("slug", list(CATEGORIES))
def test_pages_forms_and_fetch(role, slug):
    owner, debates = world()
    debate = debates[slug]
    user = make_user(role)
    client = client_for(user)
    opening = debate.posts.get()
    readable = slug in READ[role]

    # Read category and debate (page channel).
    for url, marker in ((f"/cafe/{slug}/", f"Debate {slug}"),
                        (f"/cafe/debates/{debate.pk}/", SECRET.format(slug=slug))):
        response = client.get(url)
        expected = 200 if readable else (302 if user is None else 404)
        assert response.status_code == expected, (role, slug, url)
        assert (marker in response.content.decode()) == readable

    # Post through the HTML form.
    before = Post.objects.count()
    response = client.post(f"/cafe/debates/{debate.pk}/responder/", {"body": "Por formulario"})
    may_post = slug in POST[role]
    assert (Post.objects.count() == before + 1) == may_post, (role, slug)
    if may_post:
        assert response.status_code == 302 and "/cafe/mensajes/" in response["Location"]
    else:
        assert response.status_code in {302, 403, 404}

    # Post through fetch (same endpoint, JSON answer).
    response = client.post(f"/cafe/debates/{debate.pk}/responder/", {"body": "Por fetch"},
                           HTTP_ACCEPT="application/json")
    assert (response.status_code == 201) == may_post, (role, slug, response.status_code)
    if not may_post and readable:
        assert response.status_code == 403 and response.json()["error"]

    # Edit own (a post written before any suspension) and someone else's.
    if user is not None:
        own = add_posts(debate, 1, author=user, text="Mío")[0]
        response = client.post(f"/cafe/mensajes/{own.pk}/editar/", {"body": "Mío, editado"})
        own.refresh_from_db()
        assert (own.edited_at is not None) == may_post, (role, slug, "edit own")
    response = client.post(f"/cafe/mensajes/{opening.pk}/editar/", {"body": "Ajeno, editado"})
    opening.refresh_from_db()
    assert (opening.edited_at is not None) == (slug in EDIT_OTHER.get(role, set()))

    # React and report.
    client.post(f"/cafe/mensajes/{opening.pk}/reaccionar/", {"kind": "like"})
    assert Reaction.objects.filter(post=opening).exists() == (slug in REACT[role])
    client.post(f"/cafe/mensajes/{opening.pk}/denunciar/", {"reason": "Prueba"})
    assert Report.objects.filter(post=opening).exists() == (slug in REPORT[role])

    # Moderate.
    client.post(f"/cafe/mensajes/{opening.pk}/moderar/", {"action": "hide"})
    opening.refresh_from_db()
    assert (opening.status == "hidden") == (slug in MODERATE.get(role, set()))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_listings_feeds_and_home_never_leak(role, home_page):
    owner, debates = world()
    user = make_user(role)
    client = client_for(user)
    pages = {
        "/cafe/": client.get("/cafe/").content.decode(),
        "/": client.get("/").content.decode(),
    }
    for slug in debates:
        visible = slug in READ[role]
        for url, html in pages.items():
            assert (f"Debate {slug}" in html) == visible, (role, url, slug)
        feed = client.get(f"/cafe/{slug}/feed/")
        if slug == "public":
            assert feed.status_code == 200
            assert SECRET.format(slug="public") in feed.content.decode()
        else:
            # Feed readers carry no session: reserved categories have no feed at all.
            assert feed.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES[1:])
def test_notifications_only_reach_people_with_access(role, django_capture_on_commit_callbacks):
    owner, debates = world()
    user = make_user(role)
    handle = services.member_settings(user).handle
    for slug, debate in debates.items():
        Notification.objects.all().delete()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.do_create_post(owner, debate, f"@{handle} mira esto ({slug})")
        notified = Notification.objects.filter(recipient=user).exists()
        mailed = any(user.email in message.to for message in mail.outbox)
        assert notified == (slug in READ[role]), (role, slug)
        assert mailed == (slug in READ[role]), (role, slug)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_sockets_open_only_for_readers(role):
    owner, debates = world()
    user = make_user(role)
    cookie = None
    if user is not None:
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        cookie = f"{name}={client.cookies[name].value}"

    async def try_open(debate_id):
        headers = [(b"host", b"testserver"), (b"origin", b"http://testserver")]
        if cookie:
            headers.append((b"cookie", cookie.encode()))
        communicator = WebsocketCommunicator(application, f"/ws/cafe/debates/{debate_id}/",
                                             headers=headers)
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        return connected

    for slug, debate in debates.items():
        assert async_to_sync(try_open)(debate.pk) == (slug in READ[role]), (role, slug)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_search_autocomplete_and_api_never_leak(role, home_page):
    """The search channel: results page (counts and facets included), the header's
    autocomplete and the API's ?search= show a category's debates and posts exactly to
    its readers, and hidden or pending posts to nobody (not even their author or a
    moderator)."""
    owner, debates = world()
    user = make_user(role)
    client = client_for(user)
    hidden = services.do_create_post(owner, debates["public"], "Oculto-invisible-siempre")
    services.do_hide_post(factories.moderator(), hidden, reason="prueba")
    pending = Post.objects.create(debate=debates["public"], author=user or owner,
                                  body_source="Pendiente-nunca-visto",
                                  body_html="<p>Pendiente-nunca-visto</p>", status="pending")
    from search.indexing import refresh

    refresh(pending)
    for slug, debate in debates.items():
        readable = slug in READ[role]
        page = client.get("/buscar/", {"q": SECRET.format(slug=slug)})
        html = page.content.decode()
        assert page.status_code == 200
        opening = debate.posts.order_by("pk").first()
        assert (f'href="{opening.get_absolute_url()}"' in html) == readable, (role, slug)
        assert ("1 resultado para" in html) == readable, (role, slug, "count")
        facets = client.get("/buscar/", {"q": f"Debate {slug}"}).content.decode()
        assert (f'href="{debate.get_absolute_url()}"' in facets) == readable, (role, slug)
        suggestions = client.get("/buscar/sugerencias/", {"q": f"Debate {slug}"}).json()
        titles = [item["title"] for item in suggestions["results"]]
        assert (f"Debate {slug}" in titles) == readable, (role, slug, "autocomplete")
        api = client.get("/api/v2/pages/", {"search": SECRET.format(slug=slug)}).json()
        assert api["items"] == [], (role, slug, "api")  # Café posts are not pages
    for word in ("Oculto-invisible-siempre", "Pendiente-nunca-visto"):
        html = client.get("/buscar/", {"q": word}).content.decode()
        assert "0 resultados para" in html, (role, word)
