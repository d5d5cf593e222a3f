"""Registration under contention: PEOPLE people register for an event of PLACES places
at the same instant, through the service (``webinars.services.do_register``).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/allas_bench \\
        .venv/bin/python benchmarks/registration_contention.py [--people 200 --places 50]

Each person is a thread with its own Django connection (taken from the settings'
bounded psycopg pool: 200 direct connections would exceed PostgreSQL's default
max_connections of 100, which is why the project pools; ``--pool`` sets its size).
A barrier releases all threads together; every call is timed from its start to its
commit, waiting for a connection and for the event's row lock included. Each round
uses a fresh event; the figures are over all rounds. The rows, users and event the
script creates are deleted at the end.

Tasks run on django-tasks' dummy backend and e-mail goes to memory, so the time is the
service's (locks, counting, inserts), not the sending of confirmation e-mails, which
production hands to the task worker anyway.

Prints a table and writes ``benchmarks/results/registration_contention.json``. Runs on
SQLite too (IMMEDIATE transactions serialise writers), labelled as such; the figures
that matter are PostgreSQL's.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
EMAIL_DOMAIN = "bench-contention.invalid"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--places", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="fresh event per round")
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
    from django.conf import settings

    django.setup()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from asgiref.local import Local
    from django_tasks import task_backends

    # The handler reads TASKS once, on first use: drop what it may have read already.
    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None
    task_backends._connections = Local(task_backends.thread_critical)
    if type(task_backends["default"]).__name__ != "DummyBackend":
        raise SystemExit("could not switch tasks to the dummy backend")
    if not args.skip_migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def make_people(count):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    User = get_user_model()
    stamp = datetime.now(UTC).strftime("%H%M%S%f")
    users = User.objects.bulk_create([
        User(email=f"p{n}-{stamp}@{EMAIL_DOMAIN}",
             first_name="Bench", last_name=str(n))
        for n in range(count)
    ])
    users = list(User.objects.filter(email__endswith=f"-{stamp}@{EMAIL_DOMAIN}").order_by("pk"))
    EmailAddress.objects.bulk_create([
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    ])
    return users


def make_event(places, number):
    from django.utils import timezone
    from wagtail.models import Page

    from webinars.models import WebinarIndexPage, WebinarPage

    index = WebinarIndexPage.objects.first()
    if index is None:
        parent = Page.objects.filter(depth=2).first() or Page.objects.get(depth=1)
        index = parent.add_child(instance=WebinarIndexPage(title="Webinars", slug="webinars"))
    start = timezone.now() + timedelta(days=7)
    stamp = datetime.now(UTC).strftime("%H%M%S%f")
    page = WebinarPage(
        title=f"Bench contention {number}", slug=f"bench-contention-{stamp}",
        summary="Benchmark event.", starts_at=start, ends_at=start + timedelta(hours=1),
        capacity=places, languages=["es"], live=True,
    )
    index.add_child(instance=page)
    return WebinarPage.objects.get(pk=page.pk)


def run_round(event, users):
    from django.db import connections

    from webinars import services

    barrier = threading.Barrier(len(users))
    latencies, errors, statuses = [], [], []
    lock = threading.Lock()

    def worker(user):
        try:
            barrier.wait(timeout=60)
            began = time.perf_counter()
            registration = services.do_register(user, event)
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                statuses.append(registration.status)
        except Exception as error:  # noqa: BLE001 - counted and shown
            with lock:
                errors.append(repr(error)[:200])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(user,)) for user in users]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    wall = time.perf_counter() - began
    return latencies, errors, statuses, wall


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def cleanup(events, users):
    from django.contrib.auth import get_user_model

    from webinars.models import Registration

    Registration.objects.filter(webinar__in=events).delete()
    for event in events:
        event.delete()
    get_user_model().objects.filter(pk__in=[user.pk for user in users]).delete()


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    setup_django(args)
    from django.db import connection

    from webinars.models import Registration, RegistrationStatus

    vendor = connection.vendor
    rows, events, all_users = [], [], []
    try:
        for number in range(1, args.rounds + 1):
            users = make_people(args.people)
            all_users += users
            event = make_event(args.places, number)
            events.append(event)
            connection.close()
            latencies, errors, statuses, wall = run_round(event, users)
            stored = Registration.objects.for_webinar(event)
            registered = stored.filter(status=RegistrationStatus.REGISTERED).count()
            waitlisted = stored.filter(status=RegistrationStatus.WAITLISTED).count()
            rows.append({
                "round": number,
                "people": args.people,
                "places": args.places,
                "registered": registered,
                "waitlisted": waitlisted,
                "errors": len(errors),
                "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
                "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
                "max_ms": round(max(latencies, default=0) * 1000, 1),
                "wall_s": round(wall, 2),
                "per_s": round(len(latencies) / wall, 1) if wall else 0.0,
                "ok": registered == min(args.places, args.people)
                and waitlisted == max(args.people - args.places, 0) and not errors,
                "error_samples": errors[:3],
                "latencies_ms": [round(value * 1000, 2) for value in latencies],
            })
    finally:
        cleanup(events, all_users)

    every = [value for row in rows for value in row["latencies_ms"]]
    total = {
        "round": "all", "people": args.people, "places": args.places,
        "registered": "/".join(str(row["registered"]) for row in rows),
        "waitlisted": "/".join(str(row["waitlisted"]) for row in rows),
        "errors": sum(row["errors"] for row in rows),
        "p50_ms": round(statistics.median(every), 1) if every else 0.0,
        "p95_ms": round(percentile(every, 0.95), 1),
        "max_ms": round(max(every, default=0), 1),
        "wall_s": round(sum(row["wall_s"] for row in rows) / max(len(rows), 1), 2),
        "per_s": round(statistics.mean(row["per_s"] for row in rows), 1) if rows else 0.0,
        "ok": all(row["ok"] for row in rows),
    }
    columns = ["round", "people", "places", "registered", "waitlisted", "errors", "p50_ms",
               "p95_ms", "max_ms", "wall_s", "per_s", "ok"]
    table = [columns] + [[str(row[key]) for key in columns] for row in [*rows, total]]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    print(f"Registration under contention ({vendor}; pool {args.pool} connections)")
    for index, line in enumerate(table):
        print(" | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if index == 0:
            print("-+-".join("-" * width for width in widths))
    RESULTS_DIR.mkdir(exist_ok=True)
    data = {
        "name": "registration_contention",
        "title": "Registration under contention",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "parameters": {"people": args.people, "places": args.places, "rounds": args.rounds,
                       "pool": args.pool, "database": vendor},
        "rows": [{k: v for k, v in row.items() if k != "latencies_ms"} for row in rows],
        "total": total,
    }
    path = RESULTS_DIR / "registration_contention.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten {path.relative_to(PROJECT_DIR)}")
    return 0 if total["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
