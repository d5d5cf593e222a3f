"""A burst of simultaneous consultation submissions: PEOPLE members submit their answers
at the same instant through the service (``participation.consultations.services.
do_save_response``), then the stored rows are counted: every submission must be there
once (responses, counted answers, the change number), none lost, none doubled.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/allas_bench \\
        .venv/bin/python benchmarks/consultation_burst.py [--people 200 --rounds 3]
    .venv/bin/python benchmarks/run.py --only consultations --skip-setup

Each person is a thread with its own Django connection (from the settings' bounded
psycopg pool; ``--pool`` sets its size). A barrier releases all threads together; each
call is timed from its start to its commit. A fifth of the people also submit a second
time at the same instant (an edit racing the first submission): they still count once.
Each round uses a fresh consultation; what the script creates is deleted at the end.

Prints a table and writes ``benchmarks/results/consultations.json``.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
EMAIL_DOMAIN = "bench-consultation.invalid"
SECTORS = ["local_government", "national_government", "civil_society", "academia",
           "private_sector", "international"]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="fresh consultation per round")
    parser.add_argument("--pool", type=int, default=40,
                        help="psycopg pool size (PostgreSQL); keep under max_connections")
    parser.add_argument("--skip-migrate", action="store_true")
    return parser.parse_args(argv)


def setup_django(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allas_site.settings.dev")
    os.environ["DEBUG"] = "0"
    os.environ["DB_POOL_MAX_SIZE"] = str(args.pool)
    os.environ.setdefault("DB_POOL_TIMEOUT", "60")
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    if not args.skip_migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def make_people(count):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    stamp = datetime.now(UTC).strftime("%H%M%S%f")
    User.objects.bulk_create([
        User(email=f"c{n}-{stamp}@{EMAIL_DOMAIN}", first_name="Bench", last_name=str(n))
        for n in range(count)
    ])
    return list(User.objects.filter(email__endswith=f"-{stamp}@{EMAIL_DOMAIN}").order_by("pk"))


def make_consultation(number):
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from allas_site.partners.models import Partner
    from participation.consultations.models import ConsultationIndexPage, ConsultationPage

    index = ConsultationIndexPage.objects.filter(locale=Locale.get_default()).first()
    if index is None:
        parent = Page.objects.filter(depth=2).first() or Page.objects.get(depth=1)
        index = parent.add_child(instance=ConsultationIndexPage(title="Consultas",
                                                                slug="consultas"))
    partner = Partner.objects.first() or Partner.objects.create(
        slug="bench-socio", name="Bench", locale=Locale.get_default())
    now = timezone.now()
    stamp = datetime.now(UTC).strftime("%H%M%S%f")
    page = ConsultationPage(
        title=f"Bench burst {number}", slug=f"bench-burst-{stamp}", summary="Benchmark.",
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1),
        owner_partner=partner, live=True,
        survey=[
            ("single_choice", {"question": "Q1", "required": True, "options": ["a", "b", "c"]}),
            ("scale", {"question": "Q2", "required": True}),
            ("short_text", {"question": "Q3", "required": False}),
        ],
    )
    index.add_child(instance=page)
    return ConsultationPage.objects.get(pk=page.pk)


def run_round(page, users, twice):
    from django.db import connections

    from participation.consultations import services

    questions = services.questions_for(page, page)
    single, scale, text = questions
    calls = [(n, user) for n, user in enumerate(users)] + [
        (n, user) for n, user in enumerate(users[:twice])]
    barrier = threading.Barrier(len(calls))
    latencies, errors = [], []
    lock = threading.Lock()

    def worker(n, user):
        answers = {single.id: single.option_ids[n % 3], scale.id: 1 + n % 5,
                   text.id: f"texto {n}"}
        try:
            barrier.wait(timeout=60)
            began = time.perf_counter()
            services.do_save_response(user, page, answers, submit=True,
                                      sector=SECTORS[n % len(SECTORS)], city="Bench")
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
        except Exception as error:  # noqa: BLE001 - counted and shown
            with lock:
                errors.append(repr(error)[:200])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=call) for call in calls]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return latencies, errors, time.perf_counter() - began, len(calls)


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    setup_django(args)
    from django.contrib.auth import get_user_model
    from django.db import connection

    from participation.consultations import results, services
    from participation.consultations.models import Answer, Response, Tally

    vendor = connection.vendor
    rows, pages, all_users = [], [], []
    try:
        for number in range(1, args.rounds + 1):
            users = make_people(args.people)
            all_users += users
            page = make_consultation(number)
            pages.append(page)
            connection.close()
            twice = args.people // 5
            latencies, errors, wall, calls = run_round(page, users, twice)
            summary = results.results_for(page, services.questions_for(page, page))
            rows.append({
                "round": number,
                "submissions": calls,
                "people": args.people,
                "responses": Response.objects.filter(consultation=page).submitted().count(),
                "counted": sum(row.cells[0][0] for row in summary.questions[0].rows),
                "answer_rows": Answer.objects.filter(consultation=page,
                                                     question_id=summary.questions[0]
                                                     .question.id).count(),
                "change_seq": Tally.objects.get(pk=page.pk).change_seq,
                "errors": len(errors),
                "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
                "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
                "max_ms": round(max(latencies, default=0) * 1000, 1),
                "wall_s": round(wall, 2),
                "per_s": round(calls / wall, 1) if wall else 0,
                "error_samples": errors[:3],
            })
    finally:
        Response.objects.filter(consultation__in=pages).delete()
        for page in pages:
            page.delete()
        get_user_model().objects.filter(pk__in=[user.pk for user in all_users]).delete()
    lost = sum(row["people"] - row["responses"] for row in rows)
    miscounted = sum(abs(row["counted"] - row["people"]) + abs(row["answer_rows"] - row["people"])
                     for row in rows)
    data = {
        "name": "consultations",
        "title": f"Consultation burst: {args.people} members submit at once "
                 f"(+{args.people // 5} resubmitting), {vendor}",
        "parameters": {"people": args.people, "rounds": args.rounds, "pool": args.pool,
                       "database": vendor},
        "rows": rows,
        "summary": [f"lost: {lost}, miscounted: {miscounted}, errors: "
                    f"{sum(row['errors'] for row in rows)}",
                    f"median p95: {statistics.median(row['p95_ms'] for row in rows)} ms"],
        "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "consultations.json").write_text(
        json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(data, ensure_ascii=False))
    return 0 if not lost and not miscounted else 1


COLUMNS = [("round", "round"), ("submissions", "submissions"), ("responses", "responses"),
           ("counted", "counted"), ("change_seq", "change no."), ("errors", "errors"),
           ("p50_ms", "p50 ms"), ("p95_ms", "p95 ms"), ("wall_s", "wall s"),
           ("per_s", "submissions/s")]


def consultations(ctx):
    """``run.py --only consultations``: the burst in a subprocess (its own Django)."""
    sys.path.insert(0, str(BENCH_DIR))
    from measurements import Column, Measurement

    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(Path(__file__).resolve()), "--skip-migrate"],
        cwd=PROJECT_DIR, env=ctx.env, capture_output=True, text=True,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"consultation burst failed:\n{result.stderr[-3000:]}")
    data = json.loads(lines[-1])
    return Measurement(
        name="consultations", title=data["title"],
        columns=[Column(key, header) for key, header in COLUMNS],
        rows=data["rows"], summary=data["summary"], parameters=data["parameters"],
    )


if __name__ == "__main__":
    sys.exit(main())
