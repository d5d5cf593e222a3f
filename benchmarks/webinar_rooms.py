"""Live webinars for the Q&A fan-out measurement (a Django script).

    DJANGO_SETTINGS_MODULE=... python benchmarks/webinar_rooms.py --prefix qa --rooms 3

Run after ``benchmarks/members.py --prefix <same>``: every ``<prefix>-<n>@bench.example``
member is registered for ``--rooms`` webinars that are live now (one room each, under the
demo Agenda, or a bare one). The prefix's moderator (``<prefix>-moderator``, in the
Moderators group) asks the questions: moderators are not rate limited. Prints one JSON
line: the webinars' page ids.
"""

import argparse
import json
import sys
from datetime import timedelta

import django


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--prefix", default="bench")
    parser.add_argument("--rooms", type=int, default=1)
    args = parser.parse_args(argv)

    django.setup()
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from wagtail.models import Page

    from webinars.models import Registration, WebinarIndexPage, WebinarPage

    agenda = WebinarIndexPage.objects.first()
    if agenda is None:
        home = Page.objects.filter(depth=2).first() or Page.objects.get(depth=1)
        agenda = home.add_child(instance=WebinarIndexPage(title="Webinars", slug="webinars"))
    users = list(get_user_model().objects.filter(email__startswith=f"{args.prefix}-",
                                                 email__endswith="@bench.example"))
    now = timezone.now()
    rooms = []
    for number in range(args.rooms):
        webinar = WebinarPage(
            title=f"Carga: preguntas en directo {number + 1}",
            slug=f"{args.prefix}-carga-preguntas-{now:%Y%m%d%H%M%S}-{number + 1}",
            summary="Webinar para medir el reparto de preguntas y votos.",
            starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=3),
            languages=["es"],
        )
        agenda.add_child(instance=webinar)
        Registration.objects.bulk_create(
            [Registration(user=user, webinar=webinar, webinar_key=webinar.translation_key)
             for user in users],
            batch_size=500,
        )
        rooms.append(webinar.pk)
    print(json.dumps({"rooms": rooms}))


if __name__ == "__main__":
    main(sys.argv[1:])
