import pytest
from django.contrib import messages

from tests.publications import factories

pytestmark = pytest.mark.django_db


def test_a_cached_hit_makes_no_sql_query(client, index, django_assert_num_queries):
    factories.publication(index, title="Ciudades en red")
    first = client.get("/cuadernos/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/cuadernos/")
    assert second.status_code == 200 and second["X-Page-Cache"] == "hit"
    assert b"Ciudades en red" in second.content


def test_publishing_invalidates_the_cache(client, index):
    client.get("/cuadernos/")
    factories.publication(index, title="Recién publicada")
    response = client.get("/cuadernos/")
    assert "Recién publicada" in response.content.decode()


def test_logged_in_readers_are_never_served_or_stored(client, index, learner):
    factories.publication(index)
    client.get("/cuadernos/")  # stored for anonymous readers
    client.force_login(learner)
    response = client.get("/cuadernos/")
    assert "X-Page-Cache" not in response
    client.logout()


def test_responses_with_messages_or_cookies_are_not_stored(rf, index):
    from django.http import HttpResponse

    from allas_site.core.page_cache import PageCacheMiddleware

    def view_with_cookie(request):
        response = HttpResponse("hola")
        response._cache_for_anonymous = True
        response.set_cookie("csrftoken", "x")
        return response

    middleware = PageCacheMiddleware(view_with_cookie)
    assert "X-Page-Cache" not in middleware(rf.get("/x/"))

    def view_with_message(request):
        from django.contrib.messages.storage.cookie import CookieStorage

        request._messages = CookieStorage(request)
        messages.info(request, "Guardado")
        response = HttpResponse("hola")
        response._cache_for_anonymous = True
        return response

    assert "X-Page-Cache" not in PageCacheMiddleware(view_with_message)(rf.get("/y/"))


def test_views_that_do_not_opt_in_are_not_stored(client, home_page):
    # robots.txt sets no cookie and no Cache-Control: only the missing opt-in keeps it out.
    client.get("/robots.txt")
    assert "X-Page-Cache" not in client.get("/robots.txt")


def test_downloads_are_never_cached(client, index):
    from django.urls import reverse

    from allas_site.publications.models import EditionDownload

    page = factories.publication(index)
    url = reverse("publications:download", args=[page.pk, "es"])
    client.get(url)
    client.get(url)
    assert EditionDownload.objects.get(page=page).count == 2
