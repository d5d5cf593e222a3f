"""The Cuadernos collection: queries at 10 vs 500 publications, and requests per second
of the index cached (anonymous) vs uncached vs the bare Django view.

Part one runs in a Django subprocess inside a transaction that is rolled back, so the
bench database is left as it was. Part two loads /cuadernos/ under the first selected
server: anonymously (a page-cache hit), with a session cookie (the page cache stands
aside, the page is rendered) and the bare view as the floor of Django's overhead.
"""

import json

from servers import BARE_PATH, running

from .base import Column, Measurement
from .django_script import QUERY_COUNTER, run_django, warm_load

INDEX = "/cuadernos/"
QUERY_SCRIPT = r"""
import datetime, json, django
django.setup()
from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.test import Client
from factory.django import mute_signals
from wagtail.models import Locale
from allas_site.core.models import HomePage
from allas_site.partners.models import Partner
from allas_site.publications.models import PublicationIndexPage, PublicationPage
from allas_site.topics.models import Topic

settings.PAGE_CACHE_SECONDS = 0  # count the rendering, not the cache

def grow(index, topic, partner, cover, total):
    have = PublicationPage.objects.child_of(index).count()
    with mute_signals(post_save):
        for n in range(have, total):
            page = PublicationPage(title=f"Bench {n}", slug=f"bench-{n}", series_number=n + 1,
                                   cover_image=cover,
                                   publication_date=datetime.date(2020, 1, 1)
                                   + datetime.timedelta(days=n))
            page.topics = [topic]
            page.partners = [partner]
            index.add_child(instance=page)

""" + QUERY_COUNTER + r"""
out = {}
with transaction.atomic():
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    index = PublicationIndexPage(title="Bench", slug="bench-cuadernos")
    home.add_child(instance=index)
    topic = Topic.objects.create(slug="bench-tema", name="Bench", locale=home.locale)
    partner = Partner.objects.create(slug="bench-socio", name="Bench", locale=home.locale)
    partner.topics = [topic]
    partner.save()
    cover = PublicationPage.objects.exclude(cover_image=None).first()
    cover = cover.cover_image if cover else None
    urls = {"index": index.url, "index filtered": index.url + "?tema=bench-tema&pagina=2",
            "topic": "/temas/bench-tema/", "partner": "/socios/bench-socio/"}
    client = Client(HTTP_HOST="localhost")
    for size in (10, 500):
        grow(index, topic, partner, cover, size)
        for name, url in urls.items():
            out.setdefault(name, []).append(queries(client, url))
    transaction.set_rollback(True)
print("BENCH-JSON" + json.dumps(out))
"""


def publication_pages(ctx):
    counts = json.loads(run_django(ctx.env, QUERY_SCRIPT, "BENCH-JSON", "publications"))
    rows = [
        {"case": f"{name}: queries", "n10": small, "n500": large,
         "constant": small == large, "req_per_s": "", "p95_ms": "", "errors": ""}
        for name, (small, large) in counts.items()
    ]
    server = ctx.servers[0]
    # A session cookie (even an unknown one) makes the page cache stand aside.
    cases = [
        ("/cuadernos/ cached (anonymous)", INDEX, None),
        ("/cuadernos/ uncached (session cookie)", INDEX, {"Cookie": "sessionid=bench"}),
        ("bare Django view", BARE_PATH, None),
    ]
    with running(server, ctx.env) as port:
        for label, path, headers in cases:
            result = warm_load(ctx, port, path, headers)
            rows.append({"case": label, "n10": "", "n500": "", "constant": None,
                         "req_per_s": round(result.req_per_s),
                         "p95_ms": round(result.percentile_ms(95), 1),
                         "errors": result.errors, "load": result.as_dict(), "path": path})
    speed = {row["case"]: row["req_per_s"] for row in rows if row["req_per_s"]}
    cached, uncached, bare = (speed[label] for label, _p, _h in cases)
    summary = [
        f"{row['case']} {row['n10']} at 10 publications, {row['n500']} at 500"
        + ("" if row["constant"] else "  <-- NOT CONSTANT")
        for row in rows if row["n10"] not in (None, "")
    ]
    summary.append(
        f"Index req/s under {server.name}: cached {cached:.0f}, uncached {uncached:.0f} "
        f"(x{cached / uncached:.1f} with the cache), bare view {bare:.0f}."
    )
    return Measurement(
        name="publications",
        title="Cuadernos: queries at 10 vs 500 publications; index req/s cached vs uncached",
        columns=[
            Column("case", "case"),
            Column("n10", "10 pubs"),
            Column("n500", "500 pubs"),
            Column("req_per_s", "req/s"),
            Column("p95_ms", "p95 ms"),
            Column("errors", "errors"),
        ],
        rows=rows,
        summary=summary,
        parameters={"server": server.name, "concurrency": ctx.concurrency,
                    "requests": max(ctx.requests // 4, 100)},
    )
