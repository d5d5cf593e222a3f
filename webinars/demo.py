"""Demo Agenda: a series on the seeds' themes with two past webinars (recording,
chapters, attendees, answered questions), one live now, two upcoming (one full, with a
waitlist) and an in-person workshop in Montevideo. Registrations go through the services.

Looked up before created, so a second run adds nothing. One exception, on purpose:
``make run`` loads the demo each time, so events meant to be live or upcoming that the
clock has overtaken are moved back to their place relative to now (rows only, nobody
is notified), and the live room can be tried right after start-up.
"""

import contextlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Locale

from allas_site.core import page_tree
from allas_site.core.models import HomePage
from allas_site.topics.models import Topic
from webinars import live, services
from webinars.models import (
    Question,
    Registration,
    WebinarFormat,
    WebinarIndexPage,
    WebinarPage,
    WebinarSeries,
    WebinarSpeaker,
)

INDEX_TEXTS = {
    "es": ("Agenda", "Webinars, talleres y encuentros presenciales de la comunidad AL-LAs: "
                     "inscríbete, añádelos a tu calendario y vuelve a ver las grabaciones."),
    "en": ("Agenda", "Webinars, workshops and in-person meetings of the AL-LAs community: "
                     "register, add them to your calendar and watch the recordings again."),
    "fr": ("Agenda", "Webinaires, ateliers et rencontres en présentiel de la communauté "
                     "AL-LAs : inscrivez-vous, ajoutez-les à votre agenda et revoyez les "
                     "enregistrements."),
    "pt": ("Agenda", "Webinars, oficinas e encontros presenciais da comunidade AL-LAs: "
                     "inscreva-se, adicione-os ao seu calendário e reveja as gravações."),
}

SERIES = {
    "slug": "ciudades-que-aprenden",
    "es": ("Ciudades que aprenden", "Un ciclo de webinars sobre cómo los gobiernos locales "
           "convierten su acción internacional en una política pública."),
    "en": ("Cities that learn", "A webinar series on how local governments turn their "
           "international action into a public policy."),
    "fr": ("Villes apprenantes", "Un cycle de webinaires sur la façon dont les collectivités "
           "locales font de leur action internationale une politique publique."),
    "pt": ("Cidades que aprendem", "Um ciclo de webinars sobre como os governos locais fazem "
           "da sua ação internacional uma política pública."),
}

SPEAKER = "experta@allas.local"
SECOND_SPEAKER = "experto@allas.local"
MODERATOR = "moderador@allas.local"
LEARNER = "aprendiz@allas.local"


def _p(*paragraphs):
    return [("paragraph", "".join(f"<p>{text}</p>" for text in paragraphs))]


def _placeholder_recording():
    # A page of our own: the demo makes no request to a video provider.
    return settings.BASE_URL.rstrip("/") + "/static/webinars/grabacion-demo.html"


EVENTS = [
    {
        "slug": "de-la-improvisacion-a-la-estrategia",
        "title": "De la improvisación a la estrategia internacional",
        "summary": "Por qué la acción exterior de una ciudad necesita objetivos, presupuesto "
                   "y evaluación, y cómo empezar a planificarla.",
        "body": _p("Muchas ciudades viven su agenda internacional a golpe de invitación. En "
                   "este webinar repasamos los pasos para convertirla en una política con "
                   "diagnóstico, objetivos, equipo y evaluación.",
                   "Incluye ejemplos de planes de internacionalización municipales y un "
                   "tiempo de preguntas."),
        "format": WebinarFormat.WEBINAR, "starts": -timedelta(days=40), "hours": 1.5,
        "topics": ["planificacion-estrategica"], "state": "past",
        "chapters": [(0, "Bienvenida"), (300, "Diagnóstico de la acción exterior"),
                     (1800, "Objetivos y presupuesto"), (3900, "Preguntas")],
    },
    {
        "slug": "redes-de-ciudades-para-que-sirven",
        "title": "Redes de ciudades: ¿para qué sirven?",
        "summary": "Mercociudades, FLACMA, Redcisur y otras redes: qué ofrecen a un "
                   "municipio pequeño y cómo sacarles partido.",
        "body": _p("Las redes permiten aprender entre pares, hacer incidencia conjunta y "
                   "acceder a proyectos. Conversamos con personas que coordinan redes de "
                   "ciudades de América Latina y Europa."),
        "format": WebinarFormat.WEBINAR, "starts": -timedelta(days=12), "hours": 1,
        "topics": ["redes-de-ciudades"], "state": "past", "languages": ["es", "pt"],
        "interpretation": "Interpretación simultánea español-portugués.",
        "chapters": [(0, "Presentación"), (420, "Qué es una red de ciudades"),
                     (2100, "Casos de Mercociudades"), (3000, "Preguntas")],
    },
    {
        "slug": "diplomacia-de-ciudades-en-directo",
        "title": "Diplomacia de ciudades: la agenda global desde lo local",
        "summary": "En directo: cómo participan los gobiernos locales en las agendas "
                   "globales y qué pueden ganar sus habitantes.",
        "body": _p("Un diálogo abierto sobre la presencia de las ciudades en Naciones "
                   "Unidas y en las agendas globales, con tiempo para tus preguntas en la "
                   "sala en directo."),
        "format": WebinarFormat.WEBINAR, "starts": -timedelta(minutes=10), "hours": 1.5,
        "topics": ["diplomacia-de-ciudades", "agendas-globales"], "state": "live",
        "languages": ["es", "en"],
    },
    {
        "slug": "cooperacion-descentralizada-paso-a-paso",
        "title": "Cooperación descentralizada, paso a paso",
        "summary": "Del hermanamiento al proyecto: cómo formular una cooperación entre "
                   "gobiernos locales que dure más que una visita.",
        "body": _p("Recorremos un proyecto de cooperación descentralizada desde la idea "
                   "hasta su evaluación, con las dudas más frecuentes de los equipos "
                   "municipales."),
        "format": WebinarFormat.WEBINAR, "starts": timedelta(days=6), "hours": 1.5,
        "topics": ["cooperacion-descentralizada"], "state": "upcoming",
        "languages": ["es", "fr"], "interpretation": "Interpretación español-francés.",
        "ask_organisation": True,
    },
    {
        "slug": "taller-marketing-territorial",
        "title": "Taller: atractividad territorial más allá del marketing",
        "summary": "Un taller práctico de plazas limitadas para revisar la estrategia de "
                   "atractividad de tu ciudad con otras personas de la red.",
        "body": _p("Trabajo en grupos pequeños con casos reales: turismo, inversión, cultura "
                   "y talento. Las plazas son pocas para que todas las personas participen."),
        "format": WebinarFormat.WORKSHOP, "starts": timedelta(days=15), "hours": 2,
        "topics": ["atractividad-territorial"], "state": "upcoming", "capacity": 2,
        "ask_organisation": True, "ask_city": True,
    },
    {
        "slug": "taller-presencial-montevideo",
        "title": "Taller presencial en Montevideo: planificar la acción internacional",
        "summary": "Una jornada de trabajo con equipos municipales de la región, con la "
                   "red Mercociudades.",
        "body": _p("Durante la mañana, diagnóstico de la acción exterior de cada municipio; "
                   "por la tarde, un primer borrador de plan con acompañamiento de personas "
                   "expertas."),
        "format": WebinarFormat.IN_PERSON, "starts": timedelta(days=35), "hours": 6,
        "topics": ["planificacion-estrategica", "redes-de-ciudades"], "state": "upcoming",
        "capacity": 30, "utc_hour": 12, "ask_organisation": True, "ask_city": True,
        "ask_accessibility": True,
        "venue_city": "Montevideo", "venue_address": "Edificio Mercosur, Luis Piera 1992",
        "venue_map_url": "https://www.openstreetmap.org/search?query=Luis%20Piera%201992"
                         "%20Montevideo",
    },
]


def _index(home):
    index = WebinarIndexPage.objects.child_of(home).first()
    if index is None:
        title, intro = INDEX_TEXTS["es"]
        index = WebinarIndexPage(title=title, slug="webinars", introduction=f"<p>{intro}</p>")
        home.add_child(instance=index)
        index.save_revision().publish()
    for code, (title, intro) in INDEX_TEXTS.items():
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None or locale.pk == index.locale_id:
            continue
        translated = page_tree.start_translation(index, locale)
        if translated is not None:
            translated.title, translated.introduction = title, f"<p>{intro}</p>"
            translated.save_revision().publish()
    return WebinarIndexPage.objects.get(pk=index.pk)


def _series(locale):
    series = WebinarSeries.objects.filter(slug=SERIES["slug"], locale=locale).first()
    if series is None:
        name, description = SERIES["es"]
        series = WebinarSeries.objects.create(
            slug=SERIES["slug"], name=name, description=description, locale=locale
        )
    for code in ("en", "fr", "pt"):
        other = Locale.objects.filter(language_code=code).first()
        if other is None or series.get_translation_or_none(other) is not None:
            continue
        translated = series.copy_for_translation(other)
        translated.name, translated.description = SERIES[code]
        translated.save()
    return series


def _times(data, now):
    starts = (now + data["starts"]).replace(second=0, microsecond=0)
    if data["state"] != "live":
        # Mid-morning in Latin America, afternoon in Europe (UTC hours).
        starts = starts.replace(hour=data.get("utc_hour", 15), minute=0)
    return starts, starts + timedelta(hours=data["hours"])


def _event(index, series, data, now):
    User = get_user_model()
    page = WebinarPage.objects.child_of(index).filter(slug=data["slug"]).first()
    if page is not None:
        return page, False
    starts_at, ends_at = _times(data, now)
    page = WebinarPage(
        title=data["title"], slug=data["slug"], summary=data["summary"], body=data["body"],
        format=data["format"], starts_at=starts_at, ends_at=ends_at,
        languages=data.get("languages", ["es"]),
        interpretation_note=data.get("interpretation", ""),
        capacity=data.get("capacity"), series=series,
        moderator=User.objects.filter(email=MODERATOR).first(),
        ask_organisation=data.get("ask_organisation", False),
        ask_city=data.get("ask_city", False),
        ask_accessibility=data.get("ask_accessibility", False),
        venue_city=data.get("venue_city", ""), venue_address=data.get("venue_address", ""),
        venue_map_url=data.get("venue_map_url", ""),
        join_url="" if data["format"] == WebinarFormat.IN_PERSON
        else settings.BASE_URL.rstrip("/") + "/webinars/" + data["slug"] + "/sala/",
        recording_embed_url=_placeholder_recording() if data["state"] == "past" else "",
        chapters=[("chapter", {"seconds": s, "title": t}) for s, t in data.get("chapters", [])],
    )
    index.add_child(instance=page)
    page.topics.set(Topic.objects.filter(slug__in=data["topics"], locale=index.locale))
    speakers = [User.objects.filter(email=SPEAKER).first()]
    if data["state"] != "live":
        speakers.append(User.objects.filter(email=SECOND_SPEAKER).first())
    for order, member in enumerate(speaker for speaker in speakers if speaker):
        page.speakers.add(WebinarSpeaker(member=member, sort_order=order))
    page.speakers.add(WebinarSpeaker(name="Ana Beatriz Duarte", organisation="Redcisur",
                                     role="Comentarista", sort_order=9))
    page.save_revision().publish()
    return WebinarPage.objects.get(pk=page.pk), True


def _keep_in_place(page, data, now):
    """Move a live or upcoming demo event that the clock has overtaken back to its
    place relative to now (all its language copies; nobody is told)."""
    wanted = data["state"]
    stale = (
        (wanted == "live" and not page.is_live(now))
        or (wanted == "upcoming" and page.starts_at <= now)
    )
    if not stale:
        return page
    starts_at, ends_at = _times(data, now)
    WebinarPage.objects.filter(translation_key=page.translation_key).update(
        starts_at=starts_at, ends_at=ends_at
    )
    Registration.objects.filter(webinar_key=page.translation_key).update(
        reminder_24h_sent_at=None, reminder_1h_sent_at=None
    )
    return WebinarPage.objects.get(pk=page.pk)


def _register(email, page, **answers):
    user = get_user_model().objects.filter(email=email).first()
    if user is None or services.active_registration(user, page) is not None:
        return
    # A demo event whose registration has closed since is left as it is.
    with contextlib.suppress(services.WebinarError):
        services.do_register(user, page, answers)


def _past_attendance(email, page):
    user = get_user_model().objects.filter(email=email).first()
    if user is None or Registration.objects.for_user(user).for_webinar(page).exists():
        return
    services.do_import_registration(
        user, page, created_at=page.starts_at - timedelta(days=5),
        attended_at=page.starts_at + timedelta(minutes=3),
    )


# What the attendees of the two past webinars asked in the live room; the moderator
# answered them (the archive lists them, most voted first, without names).
PAST_QUESTIONS = {
    "de-la-improvisacion-a-la-estrategia": [
        (LEARNER, "¿Por dónde empieza un municipio pequeño que no tiene oficina de "
                  "relaciones internacionales?", (MODERATOR, SPEAKER)),
        (MODERATOR, "¿Qué indicadores sirven para evaluar un plan de internacionalización "
                    "sin un equipo grande?", (LEARNER,)),
        (SPEAKER, "¿Cómo se defiende el presupuesto de la acción exterior ante el concejo "
                  "municipal?", ()),
    ],
    "redes-de-ciudades-para-que-sirven": [
        (LEARNER, "¿Cuánto cuesta sumarse a Mercociudades y qué compromisos supone?",
         (MODERATOR, SPEAKER)),
        (SPEAKER, "¿Cómo se reparte el trabajo entre una red regional como Redcisur y una "
                  "red temática?", (LEARNER,)),
        (MODERATOR, "¿Tiene sentido estar en varias redes a la vez si el equipo es de una "
                    "sola persona?", ()),
    ],
}


def _past_questions(slug, page):
    if Question.objects.filter(webinar_key=page.translation_key).exists():
        return
    people = {user.email: user for user in get_user_model().objects.filter(
        email__in=[LEARNER, MODERATOR, SPEAKER])}
    for minute, (author, text, voters) in enumerate(PAST_QUESTIONS[slug]):
        if author not in people:
            continue
        live.do_import_question(
            people[author], page, text,
            asked_at=page.starts_at + timedelta(minutes=20 + 7 * minute),
            voters=[people[email] for email in voters if email in people],
        )


def load_webinars(stdout):
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is None:
        return
    index = _index(home)
    series = _series(index.locale)
    now = timezone.now()
    pages = {}
    created = 0
    for data in EVENTS:
        page, new = _event(index, series, data, now)
        created += new
        pages[data["slug"]] = _keep_in_place(page, data, now)
    if created:
        stdout.write(f"  {created} demo webinars created")
    for slug in ("de-la-improvisacion-a-la-estrategia", "redes-de-ciudades-para-que-sirven"):
        for email in (LEARNER, SPEAKER, MODERATOR):
            _past_attendance(email, pages[slug])
        _past_questions(slug, pages[slug])
    _register(LEARNER, pages["diplomacia-de-ciudades-en-directo"])
    _register("editora@allas.local", pages["diplomacia-de-ciudades-en-directo"])
    _register(LEARNER, pages["cooperacion-descentralizada-paso-a-paso"],
              organisation="Municipalidad de Quito")
    # The workshop fills up (two places) and two people wait.
    full = pages["taller-marketing-territorial"]
    for email in (SECOND_SPEAKER, "editora@allas.local", LEARNER, MODERATOR):
        _register(email, full, organisation="AL-LAs")
    _register(SPEAKER, pages["taller-presencial-montevideo"], city="Medellín")
