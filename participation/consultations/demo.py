"""Demo consultations (``load_demo`` runs this through the ``allas_demo_loader`` hook):
Medellín asks, in its consultation phase, what its international agenda should be
(~60 answers across sectors); Montevideo's consultation on city networks is closed,
with results, approved texts and its return published. Spanish originals with English
translations (the other languages show the aliases). Answers go through the services.

Looked up before created: a second run adds nothing (the open consultation's dates are
moved back around now, rows only, so it stays open whenever ``make run`` loads it).
"""

import json
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Locale

from allas_site.core import page_tree
from allas_site.core.models import HomePage
from allas_site.partners.models import Partner
from participation.consultations import services
from participation.consultations.models import (
    Answer,
    ConsultationIndexPage,
    ConsultationPage,
    Response,
    Sector,
    TextStatus,
)

INDEX = {
    "es": ("Consultas", "Ciudades y redes de la alianza preguntan a su gobierno, a la sociedad "
                        "civil, a las universidades y a las empresas qué agenda internacional "
                        "quieren. Responde, mira los resultados por sector y conoce la "
                        "devolución."),
    "en": ("Consultations", "Cities and networks of the alliance ask government, civil society, "
                            "universities and business what international agenda they want. "
                            "Answer, see the results by sector and read the city's response."),
    "fr": ("Consultations", "Les villes et réseaux de l’alliance demandent aux pouvoirs publics, "
                            "à la société civile, aux universités et aux entreprises quel agenda "
                            "international ils souhaitent."),
    "pt": ("Consultas", "Cidades e redes da aliança perguntam ao governo, à sociedade civil, "
                        "às universidades e às empresas que agenda internacional querem."),
}

PRIORITIES = ["Cooperación descentralizada", "Atracción de inversión", "Redes de ciudades",
              "Agendas globales (ODS, clima)", "Movilidad humana"]
PRIORITIES_EN = ["Decentralised cooperation", "Attracting investment", "City networks",
                 "Global agendas (SDGs, climate)", "Human mobility"]

CONSULTATIONS = [
    {
        "slug": "agenda-internacional-medellin",
        "partner": "medellin",
        "state": "open",
        "es": {
            "title": "¿Qué agenda internacional para Medellín?",
            "summary": "Medellín actualiza su estrategia de internacionalización y pregunta a "
                       "los actores de la ciudad qué prioridades, socios y formas de "
                       "participación quieren.",
            "context": "<p>La ciudad lleva años combinando cooperación, atracción de inversión "
                       "y presencia en redes. Antes de fijar la estrategia de los próximos "
                       "cuatro años queremos saber qué esperan el gobierno local, la sociedad "
                       "civil, la academia y el sector privado.</p>",
            "questions": [
                ("single_choice", "¿Cuál debería ser la prioridad de la acción internacional?",
                 PRIORITIES),
                ("multiple_choice", "¿Con qué regiones debería relacionarse más la ciudad?",
                 ["América Latina", "Europa", "África", "Asia", "América del Norte"]),
                ("ranking", "Ordena estos instrumentos de más a menos útil",
                 ["Hermanamientos", "Proyectos de cooperación", "Misiones comerciales",
                  "Participación en redes"]),
                ("scale", "¿Cuánto conoces la acción internacional de tu ciudad?", None),
                ("long_text", "¿Qué debería hacer la ciudad en el mundo en los próximos años?",
                 None),
            ],
        },
        "en": {
            "title": "What international agenda for Medellín?",
            "summary": "Medellín is updating its internationalisation strategy and asks the "
                       "city's stakeholders which priorities, partners and forms of "
                       "participation they want.",
            "context": "<p>For years the city has combined cooperation, investment attraction "
                       "and presence in networks. Before setting the strategy for the next "
                       "four years we want to hear local government, civil society, academia "
                       "and business.</p>",
            "questions": [
                ("What should be the priority of international action?", PRIORITIES_EN),
                ("Which regions should the city engage with more?",
                 ["Latin America", "Europe", "Africa", "Asia", "North America"]),
                ("Rank these instruments from most to least useful",
                 ["Twinning", "Cooperation projects", "Trade missions",
                  "Taking part in networks"]),
                ("How well do you know your city's international action?", None),
                ("What should the city do in the world in the coming years?", None),
            ],
        },
    },
    {
        "slug": "montevideo-y-las-redes-de-ciudades",
        "partner": "montevideo",
        "state": "closed",
        "es": {
            "title": "Montevideo y las redes de ciudades",
            "summary": "¿Qué aportan a Montevideo las redes de ciudades y en cuáles debería "
                       "invertir su tiempo? Consulta cerrada, con resultados y devolución.",
            "context": "<p>Montevideo participa en redes regionales desde hace décadas. Esta "
                       "consulta preguntó a los actores de la ciudad cómo valoran esa "
                       "participación.</p>",
            "return": "<p>La Intendencia concentrará su participación en dos redes, publicará "
                      "cada año un informe de resultados y abrirá a la sociedad civil y a las "
                      "universidades las delegaciones en los encuentros de redes.</p>",
            "questions": [
                ("single_choice", "¿Qué aporta más la participación en redes?",
                 ["Aprender de otras ciudades", "Incidencia política", "Acceso a proyectos",
                  "Visibilidad"]),
                ("scale", "¿Cómo valoras la participación actual de la ciudad en redes?", None),
                ("short_text", "Una red en la que la ciudad debería estar", None),
            ],
        },
        "en": {
            "title": "Montevideo and city networks",
            "summary": "What do city networks bring to Montevideo and which should it invest "
                       "its time in? Closed, with results and the city's response.",
            "context": "<p>Montevideo has taken part in regional networks for decades. This "
                       "consultation asked the city's stakeholders how they value it.</p>",
            "return": "<p>The city will focus on two networks, publish a yearly report on "
                      "results and open its delegations to network meetings to civil society "
                      "and universities.</p>",
            "questions": [
                ("What does taking part in networks bring most?",
                 ["Learning from other cities", "Political advocacy", "Access to projects",
                  "Visibility"]),
                ("How do you rate the city's current participation in networks?", None),
                ("One network the city should join", None),
            ],
        },
    },
]

SECTOR_MIX = ([Sector.LOCAL_GOVERNMENT] * 18 + [Sector.CIVIL_SOCIETY] * 15
              + [Sector.ACADEMIA] * 12 + [Sector.PRIVATE_SECTOR] * 8
              + [Sector.NATIONAL_GOVERNMENT] * 4 + [Sector.INTERNATIONAL] * 3)
CITIES = ["Medellín", "Bogotá", "Montevideo", "Quito", "Ciudad de México", "Lyon"]
TEXTS = [
    "Más cooperación con ciudades que comparten nuestros retos de movilidad y seguridad.",
    "Que la acción internacional llegue a los barrios y no solo a los grandes eventos.",
    "Aprovechar la diáspora antioqueña como red de contactos.",
    "Red de Ciudades Educadoras",
    "Mercociudades",
    "Medir y publicar los resultados de cada proyecto internacional.",
]


def _index(home):
    index = ConsultationIndexPage.objects.child_of(home).first()
    if index is None:
        title, intro = INDEX["es"]
        index = ConsultationIndexPage(title=title, slug="consultas", introduction=f"<p>{intro}</p>")
        home.add_child(instance=index)
        index.save_revision().publish()
    for code in ("en", "fr", "pt"):
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None:
            continue
        translated = page_tree.start_translation(index, locale)
        if translated is not None:
            translated.title, intro = INDEX[code]
            translated.introduction = f"<p>{intro}</p>"
            translated.save_revision().publish()
    return index


def _survey(questions):
    blocks = []
    for kind, label, options in questions:
        required = kind not in ("short_text", "long_text")
        value = {"question": label, "help_text": "", "required": required}
        if options is not None:
            value["options"] = options
        if kind == "scale":
            value.update(min_label="Nada" if "conoces" in label else "Muy mal",
                         max_label="Mucho" if "conoces" in label else "Muy bien")
        blocks.append((kind, value))
    return blocks


def _dates(state, now):
    if state == "open":
        return {"information_from": (now - timedelta(days=20)).date(),
                "opens_at": now - timedelta(days=6), "closes_at": now + timedelta(days=24),
                "return_expected_on": (now + timedelta(days=60)).date()}
    return {"information_from": (now - timedelta(days=90)).date(),
            "opens_at": now - timedelta(days=75), "closes_at": now - timedelta(days=30),
            "return_expected_on": (now - timedelta(days=5)).date()}


def _translate(page, data):
    locale = Locale.objects.filter(language_code="en").first()
    if locale is None:
        return
    translated = page_tree.start_translation(page, locale)
    if translated is None:
        return
    translated.title, translated.summary = data["title"], data["summary"]
    translated.context = data["context"]
    if "return" in data:
        translated.return_text = data["return"]
    # The same blocks and ids as the original, in English.
    stream = json.loads(json.dumps(list(translated.survey.raw_data)))
    for block, (label, options) in zip(stream, data["questions"], strict=True):
        block["value"]["question"] = label
        if options is not None:
            for item, text in zip(block["value"]["options"], options, strict=True):
                item["value"] = text
        if block["type"] == "scale":
            block["value"]["min_label"], block["value"]["max_label"] = (
                ("Not at all", "Very well") if "know" in label else ("Very poor", "Very good"))
    translated.survey = json.dumps(stream)
    translated.save_revision().publish()


def _people(count):
    User = get_user_model()
    users = []
    for number in range(1, count + 1):
        email = f"participante{number:02d}@allas.local"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, None, display_name=f"Participante {number}")
        users.append(user)
    return users


def _answers(questions, rng, sector):
    answers = {}
    for question in questions:
        ids = question.option_ids
        if question.kind == "single_choice":
            # Sectors lean differently, so the breakdown says something.
            weights = [3 if n == Sector.values.index(sector) % len(ids) else 1
                       for n in range(len(ids))]
            answers[question.id] = rng.choices(ids, weights=weights)[0]
        elif question.kind == "multiple_choice":
            answers[question.id] = rng.sample(ids, rng.randint(1, 3))
        elif question.kind == "ranking":
            answers[question.id] = rng.sample(ids, len(ids))
        elif question.kind == "scale":
            answers[question.id] = rng.randint(2 if sector == Sector.LOCAL_GOVERNMENT else 1, 5)
        elif question.is_text and rng.random() < 0.3:
            answers[question.id] = rng.choice(TEXTS)
    return answers


def _participate(page, users, when):
    rng = random.Random(page.slug)  # noqa: S311 - repeatable demo data, not security
    questions = services.questions_for(page, page)
    for user, sector in zip(users, SECTOR_MIX, strict=False):
        if Response.objects.filter(consultation=page, user=user).exists():
            continue
        services.do_save_response(user, page, _answers(questions, rng, sector), submit=True,
                                  sector=sector, city=rng.choice(CITIES), now=when)


def load_consultations(stdout):
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is None:
        return
    index = _index(home)
    editor = get_user_model().objects.filter(email="editora@allas.local").first()
    now = timezone.now()
    users = _people(len(SECTOR_MIX))
    for data in CONSULTATIONS:
        text = data["es"]
        page = ConsultationPage.objects.child_of(index).filter(slug=data["slug"]).first()
        partner = Partner.objects.filter(slug=data["partner"],
                                         locale=Locale.get_default()).first()
        if page is None:
            page = ConsultationPage(
                title=text["title"], slug=data["slug"], summary=text["summary"],
                context=text["context"], owner_partner=partner,
                survey=_survey(text["questions"]), return_text=text.get("return", ""),
                **_dates(data["state"], now),
            )
            index.add_child(instance=page)
            page.save_revision().publish()
            page = ConsultationPage.objects.get(pk=page.pk)
            _translate(page, data["en"])
            stdout.write(f"  consultation {page.slug}")
        elif data["state"] == "open" and not page.is_open(now):
            ConsultationPage.objects.filter(translation_key=page.translation_key).update(
                **_dates("open", now))
            page = ConsultationPage.objects.get(pk=page.pk)
        if data["state"] == "open":
            _participate(page, users, now)
        else:
            _participate(page, users[:40], page.opens_at + timedelta(days=3))
            # Texts approved by the editor; the return announced once.
            if editor is not None:
                Answer.objects.filter(consultation=page, text_status=TextStatus.PENDING).update(
                    text_status=TextStatus.APPROVED, moderated_by=editor, moderated_at=now)
                if page.return_published_at is None:
                    services.do_publish_return(editor, page)
    stdout.write(f"  {Response.objects.count()} consultation responses")
