"""Members, sessions and a debate for the Café load measurements (a Django script).

    DJANGO_SETTINGS_MODULE=... python benchmarks/members.py --members 500 --prefix lt

Creates (idempotently) ``--members`` confirmed Learner accounts ``<prefix>-<n>@bench.example``
in bulk: one password hash computed once with the configured (production) hasher and
shared by all, their verified e-mail addresses and the Learners group, and a database
session for each (what a browser holds after logging in). Also a moderator who posts
(moderators are not rate limited), a public category whose first posts need no approval
and ``--debates`` debates in it (one room each). Prints one JSON line: each debate's id,
path, last post id and change number, the session cookies, the e-mails and password (for
the real log-in form) and the paths of demo pages to browse.
"""

import argparse
import json
import sys
from datetime import timedelta

import django

PASSWORD = "carga-allas-2026-contraseña"  # noqa: S105 - bench accounts on a throwaway database


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--prefix", default="bench")
    parser.add_argument("--debate-title", default="Carga: fan-out")
    parser.add_argument("--debates", type=int, default=1, help="debates to open (one room each)")
    args = parser.parse_args(argv)

    django.setup()
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale

    from allas_site.accounts import roles
    from allas_site.core import member_state
    from community import services
    from community.models import Category, Debate

    user_model = get_user_model()
    learners = Group.objects.get_or_create(name=roles.LEARNERS)[0]
    moderators = Group.objects.get_or_create(name=roles.MODERATORS)[0]
    password_hash = make_password(PASSWORD)  # once: the production hasher is slow on purpose
    emails = [f"{args.prefix}-{n}@bench.example" for n in range(args.members)]
    with transaction.atomic():
        existing = set(user_model.objects.filter(email__in=emails).values_list("email", flat=True))
        user_model.objects.bulk_create(
            [user_model(email=email, display_name=f"Miembro {email.split('@')[0]}",
                        password=password_hash)
             for email in emails if email not in existing],
            batch_size=500,
        )
        users = list(user_model.objects.filter(email__in=emails))
        user_model.objects.filter(pk__in=[u.pk for u in users]).update(password=password_hash)
        # update() sends no signal: the rows the site keeps per member (with the old
        # password, against which a new session's hash would fail) are retired here.
        member_state.forget_users([u.pk for u in users])
        known = set(EmailAddress.objects.filter(user__in=users).values_list("user_id", flat=True))
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True)
             for u in users if u.pk not in known],
            batch_size=500,
        )
        through = user_model.groups.through
        in_group = set(through.objects.filter(group=learners, user__in=users)
                       .values_list("user_id", flat=True))
        through.objects.bulk_create(
            [through(user_id=u.pk, group_id=learners.pk) for u in users if u.pk not in in_group],
            batch_size=500,
        )

    by_email = {}
    for user in user_model.objects.filter(email__in=emails):
        user.password = password_hash
        by_email[user.email] = user

    def session_for(user):
        store = SessionStore()
        key = store._get_new_session_key()
        data = {SESSION_KEY: str(user.pk),
                # The backend the site signs members in with (a session naming another
                # is anonymous).
                BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                HASH_SESSION_KEY: user.get_session_auth_hash()}
        return Session(session_key=key, session_data=store.encode(data),
                       expire_date=timezone.now() + timedelta(days=1))

    writer, _created = user_model.objects.get_or_create(
        email=f"{args.prefix}-moderator@bench.example",
        defaults={"display_name": "Moderación de carga"},
    )
    writer.groups.add(learners, moderators)
    EmailAddress.objects.get_or_create(user=writer, email=writer.email,
                                       defaults={"verified": True, "primary": True})
    sessions = [session_for(by_email[email]) for email in emails]
    writer_session = session_for(writer)
    Session.objects.bulk_create([*sessions, writer_session], batch_size=500)

    category, _created = Category.objects.get_or_create(
        slug=f"{args.prefix}-carga",
        defaults={"name": "Carga", "read_access": "everyone", "post_access": "members",
                  "approve_first_posts": False},
    )
    debates = []
    for number in range(args.debates):
        title = args.debate_title + (f" {number + 1}" if number else "")
        debate = Debate.objects.filter(category=category, title=title).first()
        if debate is None:
            debate = services.do_start_debate(writer, category, title=title,
                                              body="Debate para medir la carga.")
        debate.refresh_from_db()
        debates.append({"id": debate.pk, "url": debate.get_absolute_url(),
                        "last_id": debate.last_post_id or 0,
                        "change_seq": debate.change_seq or 0})

    pages = {}
    try:
        from allas_site.publications.models import PublicationPage
        from courses.models import CoursePage

        default = Locale.get_default()
        for name, model in (("publication", PublicationPage), ("course", CoursePage)):
            page = model.objects.live().filter(locale=default).order_by("path").first()
            if page is not None:
                pages[name] = page.get_url(None)
        other = (Debate.objects.exclude(category=category)
                 .filter(category__read_access="everyone").order_by("pk").first())
        if other is not None:
            pages["demo_debate"] = other.get_absolute_url()
    except Exception as error:  # noqa: BLE001 - pages are optional extras
        pages["error"] = repr(error)

    cookie = settings.SESSION_COOKIE_NAME
    print(json.dumps({
        "debates": debates,
        "debate": debates[0]["id"],
        "debate_url": debates[0]["url"],
        "last_id": debates[0]["last_id"],
        "change_seq": debates[0]["change_seq"],
        "cookie_name": cookie,
        "cookies": [f"{cookie}={s.session_key}" for s in sessions],
        "user_ids": [by_email[email].pk for email in emails],
        "emails": emails,
        "password": PASSWORD,
        "writer_cookie": f"{cookie}={writer_session.session_key}",
        "pages": pages,
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
