"""The home page in the anonymous page cache, and the fixed cost every page pays: the
Site lookup, the language links and the home sections."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from allas_site.core import page_cache
from allas_site.core.sites import match_site

pytestmark = pytest.mark.django_db


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured], response


def test_the_home_page_is_cached_per_language(client, home_page, django_assert_num_queries):
    for prefix, language in (("/", "es"), ("/en/", "en"), ("/fr/", "fr"), ("/pt/", "pt")):
        first = client.get(prefix)
        assert first["X-Page-Cache"] == "miss" and not first.cookies
        with django_assert_num_queries(0):
            second = client.get(prefix)
        assert second["X-Page-Cache"] == "hit"
        assert f'<html lang="{language}">' in second.content.decode()


def test_the_home_page_lives_a_minute(client, home_page, monkeypatch):
    stored = {}
    real_set = page_cache.cache.set

    def spy(key, value, timeout=None, **kwargs):
        if key.startswith(page_cache.ENTRY_PREFIX):
            stored[key] = timeout
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(page_cache.cache, "set", spy)
    client.get("/")
    assert list(stored.values()) == [60]


def test_publishing_retires_the_home_page(client, home_page):
    client.get("/")
    home_page.hero_title = "Un título nuevo"
    home_page.save_revision().publish()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss" and "Un título nuevo" in response.content.decode()


def test_a_waiting_flash_message_bypasses_the_cache(client, home_page):
    client.get("/")
    client.cookies["messages"] = "something"
    assert "X-Page-Cache" not in client.get("/")


def test_members_get_their_own_header_and_nothing_is_stored(client, home_page, learner):
    client.get("/")
    member = Client()
    member.force_login(learner)
    response = member.get("/")
    assert "X-Page-Cache" not in response
    assert "data-bell" in response.content.decode()
    anonymous = client.get("/")
    assert "data-bell" not in anonymous.content.decode()


def test_home_page_query_counts(client, home_page, learner, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the real work
    client.get("/")  # the shared sections and the site list are built once
    anonymous, _response = queries_of(client, "/")
    member = Client()
    member.force_login(learner)
    member.get("/")
    logged_in, _response = queries_of(member, "/")
    # No Site query and no language-link query on a warm page.
    assert not any("wagtailcore_site" in sql for sql in anonymous + logged_in)
    # The hero's network map is one of them (allas_site.partners.network).
    assert len(anonymous) <= 6, anonymous
    assert len(logged_in) <= 12, logged_in


def test_the_site_is_read_once_and_follows_changes(client, home_page):
    client.get("/")
    queries, _response = queries_of(client, "/en/")
    assert not any("wagtailcore_site" in sql for sql in queries)
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Campus renombrado"
    site.save()
    queries, _response = queries_of(client, "/fr/")
    assert any("wagtailcore_site" in sql for sql in queries)


def test_site_matching_follows_wagtails_precedence(home_page):
    default = Site.objects.get(is_default_site=True)
    other = Site(hostname="otra.example", port=80, root_page=home_page)
    other_8080 = Site(hostname="otra.example", port=8080, root_page=home_page)
    sites = [default, other]
    assert match_site(sites, "otra.example", 443) is other  # the only one with that name
    assert match_site(sites, "nadie.example", 80) is default
    both = [default, other, other_8080]
    assert match_site(both, "otra.example", 8080) is other_8080
    assert match_site(both, "otra.example", 443) is default  # ambiguous name: the default
    assert match_site([other], "nadie.example", 80) is None


def test_language_links_are_built_once_per_page_and_follow_publishing(client, home_page):
    from django.test import RequestFactory
    from wagtail.models import Locale

    from allas_site.core.navigation import language_links

    request = RequestFactory().get("/")
    first = language_links(request, home_page)
    with CaptureQueriesContext(connection) as captured:
        assert language_links(request, home_page) == first
    assert len(captured) == 0
    english = home_page.get_translation(Locale.objects.get(language_code="en"))
    english.unpublish()
    later = RequestFactory().get("/")  # the version is read once per request
    links = {link.code: link.url for link in language_links(later, home_page)}
    assert links["en"] == f"/en/sin-traducir/{home_page.pk}/"
