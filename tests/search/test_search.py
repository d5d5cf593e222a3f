"""The search: Spanish on both backends, permissions in the query, results page,
autocomplete, the API, freshness and hostile input. The suite runs on SQLite by
default and on PostgreSQL with DATABASE_URL: every test here runs on both."""

import json
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import QueryDict
from django.utils import translation

from community import services as cafe
from courses import services as courses
from search import query
from search.models import SearchDocument
from tests import factories
from tests.search.conftest import LOCKED_WORD

pytestmark = pytest.mark.django_db


def titles(q, user=None, **params):
    data = QueryDict(mutable=True)
    data["q"] = q
    for key, value in params.items():
        data[key] = value
    outcome = query.run_search(query.Params.from_query_dict(data), user or AnonymousUser(),
                               record=False)
    return [result.document.heading for result in outcome.results]


# One set of queries, one expected top result, on whichever backend runs the suite.
TOP_RESULTS = [
    ("ciudades", None),  # checked below: finds singular "ciudad"
    ("cooperacion", "Manual de cooperación descentralizada"),
    ("COOPERACIÓN", "Manual de cooperación descentralizada"),
    ("internacionalizacion", None),
    ("diplomacia urbana", "Diplomacia urbana para gobiernos locales"),
    ('"diplomacia urbana"', "Diplomacia urbana para gobiernos locales"),
    ("Quito", "Quito"),
    ("quito andina", "Quito"),
    ("Mariana Ortega", "Mariana Ortega"),
    ("diplomacia de las ciudades", "Diplomacia de ciudades"),
]


def test_the_same_top_result_on_either_backend(campus):
    for q, expected in TOP_RESULTS:
        found = titles(q)
        assert found, f"{q!r} found nothing on {connection.vendor}"
        if expected:
            assert found[0] == expected, (connection.vendor, q, found[:5])


def test_plural_finds_singular_and_accents_fold(campus):
    # "ciudad" only appears in the singular in the partner's… and in the Cuaderno's
    # abstract ("la ciudad paso a paso").
    assert "Manual de cooperación descentralizada" in titles("ciudades")
    assert "Manual de cooperación descentralizada" in titles("internacionalizacion")
    assert "Internacionalización estratégica" in titles("internacionalizacion")


def test_phrase_ranks_before_scattered_words(campus):
    found = titles("diplomacia urbana")
    assert found.index("Diplomacia urbana para gobiernos locales") < found.index(
        "Guía de proyectos"
    )


def test_pdf_text_is_searched(campus):
    edition = campus["urbana"].editions.first()
    edition.refresh_from_db()
    assert "texto" in edition.text.lower()
    # The generated PDF carries its title and the word "texto" (tests' pdf_document).
    assert "Diplomacia urbana para gobiernos locales" in titles("texto")


ROLES = ["anonymous", "member", "enrolled", "expert", "moderator"]


def person(role, campus):
    if role == "anonymous":
        return AnonymousUser()
    user = {"member": factories.learner, "enrolled": factories.learner,
            "expert": factories.expert, "moderator": factories.moderator}[role]()
    if role == "enrolled":
        courses.do_enroll(user, campus["course"])
    return user


@pytest.mark.parametrize("role", ROLES)
def test_a_lesson_body_only_for_its_learners(campus, role):
    user = person(role, campus)
    found = titles(LOCKED_WORD, user)
    assert (campus["locked"].title in found) == (role == "enrolled")
    # Everyone finds the lesson by its title, once.
    assert titles(campus["locked"].title, user).count(campus["locked"].title) == 1


def test_aliases_and_drafts_are_never_found(campus, home_page):
    from tests.publications import factories as pub

    pub.publication(campus["index"], title="Borrador secreto de hermanamiento", publish=False)
    assert titles("Borrador secreto") == []
    # Every page has aliases under /en/ /fr/ /pt/: one result per text.
    assert titles("Diplomacia urbana para gobiernos locales").count(
        "Diplomacia urbana para gobiernos locales") == 1


def test_unpublishing_and_restricting_update_at_once(campus):
    from wagtail.models import PageViewRestriction

    page = campus["cooperation"]
    page.unpublish()
    assert "Manual de cooperación descentralizada" not in titles("cooperacion")
    page.save_revision().publish()
    assert "Manual de cooperación descentralizada" in titles("cooperacion")
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert "Manual de cooperación descentralizada" not in titles("cooperacion")


def test_posts_appear_after_commit_and_leave_when_hidden(
    campus, settings, django_capture_on_commit_callbacks
):
    settings.SEARCH_INDEX_AT_ONCE = False
    debate = campus["debates"]["publica"]
    author = factories.expert()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post = cafe.do_create_post(author, debate, "Hablemos de zarzuelaurbana.")
    assert titles("zarzuelaurbana") == []  # not before the commit
    for callback in callbacks:
        callback()
    assert titles("zarzuelaurbana") == [debate.title]
    moderator = factories.moderator()
    with django_capture_on_commit_callbacks(execute=True):
        cafe.do_hide_post(moderator, post, reason="prueba")
    assert titles("zarzuelaurbana") == []
    with django_capture_on_commit_callbacks(execute=True):
        cafe.do_restore_post(moderator, post)
        cafe.do_edit_post(author, post, "Ahora hablamos de otra cosa: bandoneonico.")
    assert titles("zarzuelaurbana") == []
    assert titles("bandoneonico") == [debate.title]


def test_moving_a_debate_changes_who_finds_it(campus):
    debate = campus["debates"]["publica"]
    members_only = campus["debates"]["miembros"].category
    assert titles("hermanamiento abierto")
    cafe.do_move_debate(factories.moderator(), debate, members_only)
    assert titles("hermanamiento abierto") == []
    assert titles("hermanamiento abierto", factories.learner())


def test_rebuild_gives_the_same_index(campus):
    from search import indexing

    before = sorted(SearchDocument.objects.values_list("source", "languages"))
    indexing.rebuild()
    assert sorted(SearchDocument.objects.values_list("source", "languages")) == before
    assert titles("cooperacion")[0] == "Manual de cooperación descentralizada"


def test_a_rebuild_writes_each_document_once(campus):
    """Inserted with its languages and (PostgreSQL) its vectors: no UPDATE of the
    documents afterwards (each left a dead copy of every row, and a table twice its
    size). The copied vectors are the index entries' own."""
    from django.test.utils import CaptureQueriesContext

    from search import indexing

    changed = []
    set_languages = indexing.set_languages
    with CaptureQueriesContext(connection) as captured, mock.patch.object(
        indexing, "set_languages", lambda: changed.append(set_languages())
    ):
        count = indexing.rebuild()
    assert count == SearchDocument.objects.count() > 20
    assert changed == [0]  # every row had its languages already
    copies = [q["sql"] for q in captured.captured_queries
              if q["sql"].startswith("UPDATE search_searchdocument AS d")]
    assert copies == []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), count(*) FILTER (WHERE d.search_title = e.title "
                "AND d.search_body = e.body AND d.search_autocomplete = e.autocomplete "
                "AND d.search_title_norm = e.title_norm) "
                "FROM search_searchdocument d JOIN wagtailsearch_indexentry e "
                "ON e.object_id = d.id::text AND e.content_type_id = %s",
                [ContentType.objects.get_for_model(SearchDocument).pk],
            )
            assert cursor.fetchone() == (count, count)


def test_results_page(client, campus):
    response = client.get("/buscar/", {"q": "cooperacion"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>cooperación</mark>" in html
    assert "Manual de" in html and "Publicación" in html
    assert 'href="/buscar/?q=cooperacion&amp;tipo=publication"' in html  # a facet link
    response = client.get("/en/buscar/", {"q": "cooperacion"})
    assert response.status_code == 200
    assert "/en/cuadernos/" in response.content.decode()  # the visitor's language tree


def test_facets_count_what_is_shown(client, campus):
    outcome = query.run_search(query.Params.from_query_dict(QueryDict("q=diplomacia")),
                               AnonymousUser(), record=False)
    kinds = dict((kind, count) for kind, _label, count in outcome.facets["kind"])
    assert sum(kinds.values()) == outcome.total
    narrowed = query.run_search(
        query.Params.from_query_dict(QueryDict("q=diplomacia&tipo=topic")), AnonymousUser(),
        record=False,
    )
    assert narrowed.total == kinds["topic"]


def test_snippets_escape_the_query_and_the_content(client, campus):
    debate = campus["debates"]["publica"]
    cafe.do_create_post(factories.expert(), debate, "<img src=x onerror=alert(1)> ataque")
    response = client.get("/buscar/", {"q": '<script>alert("x")</script> ataque'})
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html or "&lt;img" in html or "ataque" in html


def test_empty_state_suggests_and_links_sections(client, campus):
    html = client.get("/buscar/", {"q": "cooperacoin"}).content.decode()
    assert "¿Quisiste decir" in html and "cooperacion" in html
    assert 'href="/cuadernos/"' in html


def test_promoted_results(client, campus):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    # The results page keeps which queries have picks: a new pick shows at once.
    assert "Recomendado" not in client.get("/buscar/", {"q": "Agenda"}).content.decode()
    pick = SearchPromotion.objects.create(query=Query.get("agenda"), page=campus["page"],
                                          description="Quiénes somos.")
    html = client.get("/buscar/", {"q": "Agenda"}).content.decode()
    assert "Sobre AL-LAs" in html and "Recomendado" in html
    pick.delete()
    assert "Recomendado" not in client.get("/buscar/", {"q": "Agenda"}).content.decode()


def test_topic_names_follow_a_renamed_topic(client, campus):
    """Kept in the process like the picks, until the site-wide version changes."""
    topic = campus["topics"]["diplomacia"]
    assert "Diplomacia de ciudades" in client.get("/buscar/", {"q": "urbana"}).content.decode()
    topic.name = "Diplomacia municipal renombrada"
    topic.save()
    html = client.get("/buscar/", {"q": "urbana"}).content.decode()
    assert "Diplomacia municipal renombrada" in html


def test_autocomplete(client, campus):
    data = client.get("/buscar/sugerencias/", {"q": "diplo"}).json()["results"]
    assert "Diplomacia urbana para gobiernos locales" in [item["title"] for item in data]
    data = client.get("/buscar/sugerencias/", {"q": "quimeraexp"}).json()["results"]
    assert data == []  # posts are never suggested, and this one is experts-only


def test_api_search_uses_the_same_path(client, campus):
    learner = factories.learner()
    courses.do_enroll(learner, campus["course"])
    anonymous = json.loads(client.get("/api/v2/pages/", {"search": LOCKED_WORD}).content)
    assert anonymous["items"] == []
    client.force_login(learner)
    enrolled = json.loads(client.get("/api/v2/pages/", {"search": LOCKED_WORD}).content)
    assert [item["id"] for item in enrolled["items"]] == [campus["locked"].pk]


def test_query_count_is_constant(client, campus, django_assert_max_num_queries):
    from search import indexing
    from tests.community.factories import add_posts

    debate = campus["debates"]["publica"]
    # Two results first, then 62: the same queries (an empty page takes another path,
    # the spelling suggestion, so the comparison starts with something found).
    for post in add_posts(debate, 2, text="Mensaje número {n}"):
        indexing.refresh(post)
    client.get("/buscar/", {"q": "mensaje"})  # warm caches (site, locales)
    with django_assert_max_num_queries(40) as few:
        client.get("/buscar/", {"q": "mensaje"})
    for post in add_posts(debate, 60, text="Mensaje número {n}"):
        indexing.refresh(post)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/buscar/", {"q": "mensaje"})
    assert response.status_code == 200


def test_editors_report_counts_queries(client, campus):
    from search import stats
    from search.models import QueryStat

    client.get("/buscar/", {"q": "cooperacion"})
    client.get("/buscar/", {"q": "zzzqqq"})
    client.get("/buscar/", {"q": "ZZZQQQ"})
    stats.flush()  # as the report does before it reads
    counted = {row.query: (row.hits, row.empty_hits) for row in QueryStat.objects.all()}
    assert counted["cooperacion"] == (1, 0)
    assert counted["zzzqqq"] == (2, 2)
    client.get("/buscar/", {"q": "cooperacion"})
    stats.flush()
    assert QueryStat.objects.get(query="cooperacion").hits == 2  # added, one row a day
    assert stats.flush() == 0  # nothing waits twice


def test_statistics_wait_in_the_process_while_redis_is_unreachable(
    client, campus, settings, monkeypatch
):
    from search import stats
    from search.models import QueryStat

    monkeypatch.setattr(stats, "_client", None)
    monkeypatch.setattr(stats, "_redis_down_until", 0.0)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    client.get("/buscar/", {"q": "cooperacion"})
    client.get("/buscar/", {"q": "cooperacion"})  # Redis not asked again for a while
    assert stats._redis() is None
    stats.flush()
    assert QueryStat.objects.get(query="cooperacion").hits == 2


def test_a_search_does_not_write_its_statistics(client, campus):
    """Counted in Redis or in memory; written in batches (search.stats), not once per
    search: the first search may take the turn to write, the next ones do not."""
    from django.test.utils import CaptureQueriesContext

    client.get("/buscar/", {"q": "cooperacion"})
    with CaptureQueriesContext(connection) as captured:
        client.get("/buscar/", {"q": "cooperacion"})
        client.get("/buscar/", {"q": "zzzqqq"})
    writes = [q["sql"] for q in captured.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes == []


def test_visitors_language_is_preferred(campus):
    from wagtail.models import Locale

    from allas_site.core import page_tree

    english = Locale.objects.get_or_create(language_code="en")[0]
    translated = page_tree.start_translation(campus["cooperation"], english)
    translated.title = "Decentralised cooperation handbook"
    translated.abstract = "Step-by-step internationalisation of the city."
    translated.save_revision().publish()
    with translation.override("en"):
        found = titles("cooperation")
        assert found[0] == "Decentralised cooperation handbook"
        # The Spanish original is not listed beside its English translation.
        assert "Manual de cooperación descentralizada" not in titles("cooperacion")
    assert "Decentralised cooperation handbook" not in titles("cooperacion")


def test_editors_read_the_report_and_learners_do_not(client, campus):
    client.get("/buscar/", {"q": "cooperacion"})
    client.get("/buscar/", {"q": "zzzqqq"})  # not written yet: the report flushes
    client.force_login(factories.editor())
    response = client.get("/admin/informes/busquedas/")
    assert response.status_code == 200
    assert "zzzqqq" in response.content.decode()
    client.force_login(factories.learner())
    assert client.get("/admin/informes/busquedas/").status_code in {302, 403}


def test_webinars_are_found_but_never_their_joining_link(home_page):
    from tests.webinars import factories as webinar_factories
    from webinars.models.live import Question

    agenda = webinar_factories.agenda(home_page)
    event = webinar_factories.webinar(
        agenda, title="Clima y ciudades costeras",
        join_url="https://reuniones.example.org/salaprivadaqx", recording_embed_url="",
    )
    assert titles("costeras") == ["Clima y ciudades costeras"]
    assert titles("salaprivadaqx") == []
    assert titles("reuniones example") == []
    question = Question.objects.create(webinar=event, webinar_key=event.translation_key,
                                       text="¿Qué hacemos con la erosionlitoral?")
    assert titles("erosionlitoral") == []  # not answered yet
    question.status = "answered"
    question.save(update_fields=["status"])
    assert titles("erosionlitoral") == ["Clima y ciudades costeras"]


def test_the_match_runs_once_per_statement_and_ranks_ids_only(campus):
    """The speed fixes, pinned: the full-text match is written once per statement (not
    again for each row by a correlated subquery, as modelsearch's SQLite backend does),
    one statement matches, for the page and the facets (no separate COUNT; on SQLite
    its rows are counted in Python), and no matching statement reads document text
    (the page's rows are read afterwards)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert titles("ciudades")
    matching = [q["sql"] for q in captured.captured_queries
                if " MATCH " in q["sql"] or " @@ " in q["sql"]]
    if connection.vendor == "postgresql":
        assert len(matching) == 1, matching
        sql = matching[0]
        assert sql.count(" @@ ") == 1 and '"content"' not in sql, sql
    else:  # the ranked rows, counted in Python (search.query._grouped_from_ranked_rows)
        assert len(matching) == 1, matching
        sql = matching[0]
        assert sql.count(" MATCH ") == 1 and "SELECT" not in sql[6:], sql
        assert "ORDER BY" in sql and '"content"' not in sql.split(" FROM ")[0]


def test_the_indexes_the_search_needs_are_there(campus):
    """The indexes written in SQL (migrations 0005, 0006, 0008): on SQLite a field change
    remakes the table without them (0007), and every match then scans the documents."""
    with connection.cursor() as cursor:
        names = {
            index for table in ("search_searchdocument",)
            for index in connection.introspection.get_constraints(cursor, table)
        }
    if connection.vendor == "sqlite":
        assert "search_doc_id_as_text" in names
    else:
        assert {"search_doc_vector_gin", "search_doc_autocomplete_gin",
                "search_doc_vector_everyone_gin", "search_doc_vector_members_gin"} <= names
    assert any("indexed_at" in name for name in names)


@pytest.mark.parametrize("extra", [
    {}, {"pagina": "2"}, {"orden": "date"}, {"orden": "date", "pagina": "2"},
    {"pagina": "99"}, {"tipo": "post"},
])
def test_the_page_read_with_the_facets_is_the_ranked_page(campus, extra):
    """The page's ids come from the facets' statement; they are the ids the ranked
    query alone gives (relevance or date, any page, the last one past the end)."""
    from search import indexing
    from tests.community.factories import add_posts

    debate = campus["debates"]["publica"]
    for post in add_posts(debate, 25, text="Ciudad número {n}: redes de ciudades"):
        indexing.refresh(post)
    data = QueryDict(mutable=True)
    data.update({"q": "ciudades", **extra})
    params = query.Params.from_query_dict(data)
    combined = query.run_search(params, AnonymousUser(), record=False)
    alone = query.run_search(params, AnonymousUser(), facets=False, record=False)
    assert combined.total == alone.total > 10
    assert [r.document.pk for r in combined.results] == [r.document.pk for r in alone.results]
    assert combined.results
