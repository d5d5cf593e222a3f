"""Search latency on PostgreSQL and SQLite with 10,000 Café posts, 1,000 pages and
200 PDF editions: p50/p95 of 50 realistic queries through the results page, p95 of
the header's autocomplete, and the queries per search request at two sizes.

    .venv/bin/python benchmarks/search_latency.py            # both backends
    .venv/bin/python benchmarks/search_latency.py --backend sqlite --posts 2000

Each backend gets a database of its own (PostgreSQL: ``allas_bench_search`` on
BENCH_PG_URL, default postgresql://postgres@127.0.0.1:5432; SQLite: a temporary
file), built from scratch; the table is printed and written to
benchmarks/results/search_latency.json. Requests go through Django's test client
(URL routing, middleware, the view and its template), in one process, warm.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results" / "search_latency.json"

QUERIES = [
    # single words, accented and not, plural and singular
    "ciudades", "ciudad", "cooperacion", "cooperación", "internacionalizacion",
    "Internacionalización", "diplomacia", "redes", "migraciones", "clima", "agenda",
    "hermanamiento", "municipal", "alcaldía", "alcaldia", "financiación", "proyectos",
    "Quito", "Lyon", "Medellín", "Montevideo", "Barcelona", "París", "Bogotá",
    # phrases and several words
    "diplomacia urbana", '"diplomacia urbana"', "diplomacia de las ciudades",
    "cooperación descentralizada", "redes de ciudades", "agenda 2030 ciudades",
    "oficina de relaciones internacionales", "gobiernos locales y clima",
    "política exterior de las ciudades", "acción climática local",
    # very common, rare, absent, misspelt
    "de", "la ciudad", "mensaje", "texto", "zanahoria", "xilografia", "cuidades",
    "cooperacoin", "qwertyuiop",
    # names and mixed
    "Mariana Ortega", "Ortega", "Moreau", "expertos", "curso", "lección", "webinar",
]
AUTOCOMPLETE = ["ci", "ciu", "coop", "dipl", "inter", "red", "qui", "mar", "agen", "hermana"]
# The grown corpus is written with the demo's own sentences (every Spanish summary
# and text load_demo creates), drawn at random: real vocabulary with its real
# frequencies, so common words are common and rare ones rare (filled by child()).
SENTENCES = []


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def sentence(rng, length):
    """Whole demo sentences, about ``length`` words."""
    picked, count = [], 0
    while count < length:
        picked.append(rng.choice(SENTENCES))
        count += len(picked[-1].split())
    return " ".join(picked)


def title(rng):
    words = rng.choice(SENTENCES).rstrip(".!?").split()
    return " ".join(words[:rng.randint(3, 7)]).strip(",;:")


def demo_sentences():
    import re

    from search.models import SearchDocument

    found = set()
    rows = SearchDocument.objects.filter(language="es").values_list("summary", "content")
    for summary, content in rows:
        for piece in re.split(r"(?<=[.!?])\s+", f"{summary}\n{content}"):
            piece = " ".join(piece.split())
            if 30 <= len(piece) <= 400 and piece[-1:] in ".!?":
                found.add(piece)
    return sorted(found)


def seed(posts, pages, pdfs):
    """Content at scale, written in bulk (the figures are about reading): one
    transaction, and no per-object indexing after commit, since ``rebuild()`` indexes
    everything at the end."""
    from unittest import mock

    from django.db import transaction

    from search import signals

    with transaction.atomic(), mock.patch.object(signals, "_after_commit", lambda _: None):
        _create(posts, pages, pdfs)
    started = time.perf_counter()
    from search import indexing

    count = indexing.rebuild()
    return count, time.perf_counter() - started


def _create(posts, pages, pdfs):
    import random

    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Locale, Page

    from allas_site.accounts.models import User
    from allas_site.publications.models import (
        PublicationEdition,
        PublicationIndexPage,
        PublicationPage,
        StandardPage,
    )
    from allas_site.publications.pdf import make_pdf
    from community.models import Category, Debate, Post
    from search.tasks import pdf_text

    rng = random.Random(12)
    home = Page.objects.filter(depth=2).first()
    author = User.objects.create_user("bench@example.org", display_name="Bench")
    locale = Locale.get_default()
    index = PublicationIndexPage(title="Cuadernos", slug="cuadernos-bench")
    home.add_child(instance=index)
    for number in range(pages):
        cls = PublicationPage if number < pdfs else StandardPage
        fields = {"title": f"{title(rng)} {number}", "slug": f"bench-{number}"}
        if cls is PublicationPage:
            fields.update(publication_type="article", abstract=sentence(rng, 30),
                          body=[("paragraph", f"<p>{sentence(rng, 120)}</p>")])
        else:
            fields.update(introduction=sentence(rng, 30),
                          body=[("paragraph", f"<p>{sentence(rng, 120)}</p>")])
        page = cls(**fields)
        index.add_child(instance=page)
        if cls is PublicationPage:
            data = make_pdf(page.title, [sentence(rng, 60) for _ in range(20)])
            document = get_document_model().objects.create(
                title=page.title, file=ContentFile(data, name=f"bench-{number}.pdf")
            )
            edition = PublicationEdition(page=page, language="es", document=document)
            edition.save()
            with document.file.open("rb") as handle:
                PublicationEdition.objects.filter(pk=edition.pk).update(text=pdf_text(handle))
    categories = [
        Category.objects.create(name=f"Bench {access}", slug=f"bench-{access}",
                                read_access=access, locale=locale)
        for access in ("everyone", "members", "experts")
    ]
    debates = [
        Debate.objects.create(category=categories[n % 3], title=title(rng),
                              author=author)
        for n in range(max(1, posts // 100))
    ]
    Post.objects.bulk_create(
        Post(debate=debates[n % len(debates)], author=author, body_source="x",
             body_html=f"<p>{sentence(rng, 40)}</p>", status="visible")
        for n in range(posts)
    )


def measure(rounds):
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for q in QUERIES[:5]:
        client.get("/buscar/", {"q": q})  # warm up
    load_before = round(os.getloadavg()[0], 2)  # other work on the machine shows here
    search_ms = []
    for _ in range(rounds):
        for q in QUERIES:
            started = time.perf_counter()
            response = client.get("/buscar/", {"q": q})
            search_ms.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    autocomplete_ms = []
    for _ in range(rounds * 5):
        for q in AUTOCOMPLETE:
            started = time.perf_counter()
            client.get("/buscar/sugerencias/", {"q": q})
            autocomplete_ms.append((time.perf_counter() - started) * 1000)
    queries = {}
    for q in ("ciudades", "qwertyuiop"):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            client.get("/buscar/", {"q": q})
        queries[q] = len(captured.captured_queries)
    return {
        "search_p50_ms": round(statistics.median(search_ms), 1),
        "search_p95_ms": round(percentile(search_ms, 0.95), 1),
        "autocomplete_p50_ms": round(statistics.median(autocomplete_ms), 1),
        "autocomplete_p95_ms": round(percentile(autocomplete_ms, 0.95), 1),
        "queries_per_search": queries,
        "load_average": [load_before, round(os.getloadavg()[0], 2)],
    }


def child(args):
    """Runs in a process whose environment chose the database."""
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allas_site.settings.dev")
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(PROJECT_DIR))
    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from io import StringIO

    from community.models import Post

    if args.reuse and Post.objects.count() >= args.posts:
        # A database seeded by an earlier --reuse run: measure only (for profiling).
        from search.models import SearchDocument

        small, index_seconds = None, 0.0
        documents = SearchDocument.objects.count()
    else:
        call_command("load_demo", stdout=StringIO())
        from search import indexing

        indexing.rebuild()
        SENTENCES.extend(demo_sentences())
        small = measure_at(args, scale=0.1)
        documents, index_seconds = seed(args.posts, args.pages, args.pdfs)
    full = measure(args.rounds)
    full.update(documents=documents, rebuild_seconds=round(index_seconds, 1),
                queries_per_search_at_10_percent=small)
    print(json.dumps(full))


def measure_at(args, scale):
    """Queries per search request with a tenth of the content, to show they stay put."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from community.models import Post
    from search import indexing

    seed(int(args.posts * scale), int(args.pages * scale), int(args.pdfs * scale))
    client = Client()
    client.get("/buscar/", {"q": "ciudades"})
    with CaptureQueriesContext(connection) as captured:
        client.get("/buscar/", {"q": "ciudades"})
    count = len(captured.captured_queries)
    # Start the full run from an empty campus again.
    from wagtail.models import Page

    # Only what seed() wrote: the demo's own content stays.
    Post.objects.filter(author__email="bench@example.org").delete()
    for page in Page.objects.filter(slug__startswith="cuadernos-bench"):
        page.delete()
    from community.models import Category, Debate

    Debate.objects.filter(category__slug__startswith="bench-").delete()
    Category.objects.filter(slug__startswith="bench-").delete()
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(email="bench@example.org").delete()
    indexing.rebuild()
    return count


def run_backend(name, args):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="allas_site.settings.dev", DEBUG="0")
    env.pop("REDIS_URL", None)
    cleanup = None
    if name == "postgresql":
        base = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432")
        database = args.database or "allas_bench_search"
        statements = [f"CREATE DATABASE {database}"]
        if not args.reuse:
            statements.insert(0, f"DROP DATABASE IF EXISTS {database}")
        for statement in statements:
            # With --reuse the database may exist already: that error is expected.
            subprocess.run(["psql", f"{base}/postgres", "-q", "-c", statement],
                           check=not args.reuse, capture_output=args.reuse)
        env["DATABASE_URL"] = f"{base}/{database}"
    else:
        env.pop("DATABASE_URL", None)
        if args.reuse:
            env["SQLITE_PATH"] = args.sqlite_path
        else:
            descriptor, cleanup = tempfile.mkstemp(suffix=".sqlite3")
            os.close(descriptor)
            env["SQLITE_PATH"] = cleanup
    command = [sys.executable, __file__, "--child", "--posts", str(args.posts), "--pages",
               str(args.pages), "--pdfs", str(args.pdfs), "--rounds", str(args.rounds)]
    command += ["--reuse"] if args.reuse else []
    # stderr passes through: a failing child says why.
    output = subprocess.run(command, env=env, cwd=PROJECT_DIR, check=True,
                            stdout=subprocess.PIPE, text=True).stdout
    if cleanup:
        os.unlink(cleanup)
    return json.loads(output.strip().splitlines()[-1])


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=1_000)
    parser.add_argument("--pdfs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the seeded database between runs (profiling)")
    parser.add_argument("--database", default="", help="PostgreSQL database name")
    parser.add_argument("--sqlite-path", default=str(PROJECT_DIR / "var" / "bench-search.sqlite3"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def backends_of(args):
    return ["postgresql", "sqlite"] if args.backend == "both" else [args.backend]


def main(argv=None):
    args = parse_args(argv)
    if args.child:
        child(args)
        return
    results = {name: run_backend(name, args) for name in backends_of(args)}
    print(f"{'backend':<11} {'docs':>6} {'search p50':>11} {'p95':>7} "
          f"{'autoc. p95':>11} {'queries (10% → 100%)':>22} {'rebuild':>8} {'load':>11}")
    for name, row in results.items():
        queries = (f"{row['queries_per_search_at_10_percent'] or '-'} → "
                   f"{row['queries_per_search']['ciudades']}")
        print(f"{name:<11} {row['documents']:>6} {row['search_p50_ms']:>9} ms "
              f"{row['search_p95_ms']:>4} ms {row['autocomplete_p95_ms']:>8} ms {queries:>22} "
              f"{row['rebuild_seconds']:>6} s {'→'.join(map(str, row['load_average'])):>11}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"params": vars(args), "results": results}, indent=2))


if __name__ == "__main__":
    main()
