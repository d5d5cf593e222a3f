"""What a signed-in member's every page shows of them (roles, bell count, admin link)
and their session are read from the cache, and follow the events that change them."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from allas_site.accounts import roles
from allas_site.core import sessions
from allas_site.notifications import services as notifications
from tests import factories

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def statements(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return " ".join(query["sql"] for query in queries.captured_queries), response


def bell(response):
    html = response.content.decode()
    start = html.index("data-bell-count")
    return html[start:html.index("</span>", start)]


def test_a_members_page_reads_no_session_roles_or_bell_count_from_the_database():
    member = logged_in(factories.learner())
    member.get("/cafe/")  # keeps them
    sql, _response = statements(member, "/cafe/")
    assert "django_session" not in sql
    assert "auth_group" not in sql
    assert "notifications_notification" not in sql


def test_the_bell_count_follows_new_and_read_notifications():
    user = factories.learner()
    member = logged_in(user)
    assert bell(member.get("/cafe/")).endswith("hidden>0")
    notifications.do_notify(user, kind="prueba", title="Hola")
    assert bell(member.get("/cafe/")).endswith(">1")
    notifications.do_notify(user, kind="prueba", title="Otra")
    assert bell(member.get("/cafe/")).endswith(">2")
    notifications.do_mark_read(user)
    assert bell(member.get("/cafe/")).endswith("hidden>0")


def test_one_members_count_never_reaches_another():
    first, second = factories.learner(), factories.learner()
    notifications.do_notify(first, kind="prueba", title="Solo para ti")
    assert bell(logged_in(first).get("/cafe/")).endswith(">1")
    assert bell(logged_in(second).get("/cafe/")).endswith("hidden>0")


def test_a_new_role_shows_on_the_next_page():
    from community import services
    from tests.community.factories import CategoryFactory

    category = CategoryFactory(slug="abierta", read_access="everyone", post_access="members")
    debate = services.do_start_debate(factories.expert(), category, title="Un debate", body="x")
    user = factories.learner()
    member = logged_in(user)
    url = debate.get_absolute_url()
    assert "cafe-moderation" not in member.get(url).content.decode()
    user.groups.add(Group.objects.get_or_create(name=roles.MODERATORS)[0])
    assert "cafe-moderation" in member.get(url).content.decode()
    Group.objects.get(name=roles.MODERATORS).user_set.remove(user)
    assert "cafe-moderation" not in member.get(url).content.decode()


def test_sessions_are_kept_in_the_cache_briefly_and_logging_out_forgets_them():
    member = logged_in(factories.learner())
    key = member.cookies[settings.SESSION_COOKIE_NAME].value
    store = sessions.SessionStore(key)
    assert cache.get(store.cache_key) is not None
    assert 0 < store._cache_seconds() <= sessions.CACHE_SECONDS
    member.post("/cuentas/logout/")
    assert cache.get(store.cache_key) is None
    assert sessions.SessionStore(key).load() == {}
    # Gone from the database too: a copy lost by the cache is not read back.
    cache.clear()
    assert sessions.SessionStore(key).load() == {}


def test_a_members_page_reads_no_user_row_from_the_database():
    member = logged_in(factories.learner())
    member.get("/cafe/")  # keeps the row
    sql, response = statements(member, "/cafe/")
    assert response.wsgi_request.user.is_authenticated
    assert '"accounts_user"' not in sql


def test_a_saved_profile_shows_on_the_next_page():
    user = factories.learner()
    member = logged_in(user)
    member.get("/cafe/")
    user.display_name = "Nombre nuevo"
    user.save()
    _sql, response = statements(member, "/cafe/")
    assert response.wsgi_request.user.display_name == "Nombre nuevo"


@pytest.mark.parametrize("change", ["password", "deactivated", "deleted"])
def test_a_changed_password_or_closed_account_ends_other_sessions_at_once(change):
    user = factories.learner()
    member = logged_in(user)
    assert statements(member, "/cafe/")[1].wsgi_request.user.is_authenticated  # row kept
    if change == "password":
        user.set_password("otra-clave-larga-2026")
        user.save()
    elif change == "deactivated":
        user.is_active = False
        user.save()
    else:
        user.delete()
    _sql, response = statements(member, "/cafe/")
    assert not response.wsgi_request.user.is_authenticated


def test_a_kept_row_is_the_members_own_and_bad_ids_are_nobody():
    from allas_site.core import member_state

    first, second = factories.learner(), factories.learner()
    assert member_state.kept_user(first.pk) == first
    assert member_state.kept_user(str(second.pk)) == second
    assert cache.get(member_state.user_key(second.pk)) == second
    assert member_state.kept_user("no-es-un-id") is None
    assert member_state.kept_user(second.pk + 1000) is None


def test_rows_written_without_signals_are_retired_by_forget_users():
    from django.contrib.auth import get_user_model

    from allas_site.core import member_state

    user = factories.learner()
    member = logged_in(user)
    member.get("/cafe/")  # keeps the row
    get_user_model().objects.filter(pk=user.pk).update(display_name="Escrito sin señal")
    assert statements(member, "/cafe/")[1].wsgi_request.user.display_name != "Escrito sin señal"
    member_state.forget_users([user.pk])
    user_seen = statements(member, "/cafe/")[1].wsgi_request.user
    assert user_seen.display_name == "Escrito sin señal"
