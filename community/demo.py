"""Demo content of the Café (idempotent: everything is looked up before it is created).

Rows are written directly, back-dated, without notifications or e-mail: this is a
believable history, not new activity.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Locale, Page

from community import category_texts
from community.models import CafeSession, Category, Debate, Post
from community.sanitizer import clean_post
from community.services import member_settings, refresh_debate_stats

CATEGORIES = [
    ("cooperacion-descentralizada", "Cooperación descentralizada",
     "Proyectos entre gobiernos locales de Europa y América Latina: socios, financiación, "
     "aprendizajes.", "everyone", "members"),
    ("diplomacia-de-ciudades", "Diplomacia de ciudades y agendas globales",
     "El lugar de las ciudades en la Agenda 2030, el clima y las redes como Mercociudades "
     "o FLACMA.", "everyone", "experts"),
    ("marketing-territorial", "Marketing territorial y atracción de inversiones",
     "Cómo presentar la ciudad al mundo sin perder de vista a su gente.", "members", "members"),
    ("sala-de-expertos", "Sala de personas expertas",
     "Conversaciones de trabajo entre las personas expertas de la comunidad.", "experts",
     "experts"),
]

# The categories' words in the other languages (Wagtail translations of each category).
CATEGORY_TRANSLATIONS = {
    "cooperacion-descentralizada": {
        "en": ("Decentralised cooperation",
               "Projects between local governments in Europe and Latin America: partners, "
               "funding, lessons learnt."),
        "fr": ("Coopération décentralisée",
               "Projets entre collectivités locales d’Europe et d’Amérique latine : "
               "partenaires, financement, enseignements."),
        "pt": ("Cooperação descentralizada",
               "Projetos entre governos locais da Europa e da América Latina: parceiros, "
               "financiamento, aprendizagens."),
    },
    "diplomacia-de-ciudades": {
        "en": ("City diplomacy and global agendas",
               "The place of cities in the 2030 Agenda, climate action and networks such as "
               "Mercociudades or FLACMA."),
        "fr": ("Diplomatie des villes et agendas mondiaux",
               "La place des villes dans l’Agenda 2030, le climat et les réseaux comme "
               "Mercociudades ou la FLACMA."),
        "pt": ("Diplomacia de cidades e agendas globais",
               "O lugar das cidades na Agenda 2030, no clima e em redes como a Mercocidades "
               "ou a FLACMA."),
    },
    "marketing-territorial": {
        "en": ("Place branding and investment attraction",
               "How to present the city to the world without losing sight of its people."),
        "fr": ("Marketing territorial et attractivité",
               "Présenter la ville au monde sans perdre de vue ses habitants."),
        "pt": ("Marketing territorial e atração de investimento",
               "Como apresentar a cidade ao mundo sem perder de vista as pessoas."),
    },
    "sala-de-expertos": {
        "en": ("Experts’ room", "Working conversations between the community’s experts."),
        "fr": ("Salon des experts", "Échanges de travail entre les experts de la communauté."),
        "pt": ("Sala de especialistas",
               "Conversas de trabalho entre as pessoas especialistas da comunidade."),
    },
}

DEBATES = [
    {
        "category": "cooperacion-descentralizada",
        "title": "¿Cómo institucionalizar la oficina de relaciones internacionales?",
        "author": "experta@allas.local",
        "attach": "cuaderno",
        "posts": [
            ("experta@allas.local",
             "Muchas oficinas internacionales dependen de una sola persona y desaparecen con "
             "el cambio de gobierno. ¿Qué ha funcionado en vuestras ciudades para darles "
             "<strong>continuidad</strong>?"),
            ("experto@allas.local",
             "En Lyon nos ayudó mucho inscribir la acción internacional en el plan de mandato "
             "y en el presupuesto plurianual. También:\n<ul><li>un comité con la sociedad "
             "civil</li><li>indicadores públicos</li></ul>"),
            ("aprendiz@allas.local",
             "En Quito estamos empezando: ¿alguien tiene un modelo de reglamento interno?"),
            ("experta@allas.local",
             "@sofia-paredes en Medellín publicamos el nuestro; lo comparto en el próximo "
             "Café. La clave fue que el concejo lo aprobara."),
        ],
    },
    {
        "category": "diplomacia-de-ciudades",
        "title": "Ciudades y la Agenda 2030: ¿voz propia o eco de los Estados?",
        "author": "experto@allas.local",
        "attach": "course",
        "posts": [
            ("experto@allas.local",
             "Los informes locales voluntarios se multiplican. ¿Son una herramienta de "
             "incidencia real o un ejercicio de comunicación?"),
            ("experta@allas.local",
             "Depende de si se usan para negociar: cuando el informe alimenta la posición de "
             "la red de ciudades en foros globales, sí cambia cosas."),
        ],
    },
    {
        "category": "marketing-territorial",
        "title": "Marca ciudad: ¿quién decide el relato?",
        "author": "aprendiz@allas.local",
        "posts": [
            ("aprendiz@allas.local",
             "Nos piden una marca ciudad para atraer inversiones. ¿Cómo incluir a los "
             "barrios en la conversación?"),
            ("experta@allas.local",
             "Con talleres abiertos antes de contratar a ninguna agencia. La marca tiene que "
             "salir de lo que la gente ya cuenta de su ciudad."),
        ],
    },
    {
        "category": "sala-de-expertos",
        "title": "Preparación del próximo Café",
        "author": "experta@allas.local",
        "posts": [
            ("experta@allas.local", "Propongo centrar el próximo Café en la financiación de "
             "proyectos de cooperación entre ciudades medianas."),
            ("experto@allas.local", "De acuerdo. Puedo preparar una introducción de diez minutos."),
        ],
    },
]

SESSION_PAST = {
    "title": "Café: hermanamientos que funcionan",
    "description": "Una hora de conversación sobre hermanamientos con proyectos concretos.",
    "guest": "experto@allas.local",
    "category": "cooperacion-descentralizada",
    "posts": [
        ("experto@allas.local", "Bienvenidas y bienvenidos. Empiezo con una pregunta: ¿qué "
         "hermanamiento de vuestra ciudad tiene hoy un proyecto vivo?"),
        ("experta@allas.local", "El de Medellín con Barcelona: movilidad y urbanismo social."),
        ("aprendiz@allas.local", "Quito tiene varios, pero casi todos son protocolarios."),
    ],
}

SESSION_NEXT = {
    "title": "Café: financiar la acción internacional local",
    "description": "Fondos europeos, cooperación triangular y presupuesto propio.",
    "guest": "experta@allas.local",
    "category": "cooperacion-descentralizada",
}


def _page_of_kind(class_names):
    """A live page of one of ``class_names`` (matched by name: no import of other apps)."""
    for page in Page.objects.live().specific().filter(depth__gt=2).order_by("path")[:400]:
        if type(page).__name__ in class_names:
            return page
    return None


def _write_posts(debate, people, posts, start):
    for offset, (email, text) in enumerate(posts):
        author = people[email]
        Post.objects.create(
            debate=debate,
            author=author,
            body_source=text,
            body_html=clean_post(text),
            created_at=start + timedelta(minutes=37 * offset),
        )
    refresh_debate_stats(debate)


def load_cafe_demo(stdout):
    User = get_user_model()
    people = {user.email: user for user in User.objects.filter(email__endswith="@allas.local")}
    if len(people) < 5:
        return
    for person in people.values():
        member_settings(person)
    categories = {}
    for order, (slug, name, description, read, post) in enumerate(CATEGORIES):
        categories[slug], _created = Category.objects.originals().get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "read_access": read,
                      "post_access": post, "order": order * 10},
        )
        _translate_category(categories[slug])
    now = timezone.now()
    attach = {
        "cuaderno": _page_of_kind({"PublicationPage", "CuadernoPage"}),
        "course": _page_of_kind({"CoursePage"}),
    }
    for number, spec in enumerate(DEBATES):
        if Debate.objects.filter(title=spec["title"]).exists():
            continue
        start = now - timedelta(days=12 - 2 * number)
        debate = Debate.objects.create(
            category=categories[spec["category"]],
            title=spec["title"],
            author=people[spec["author"]],
            page=attach.get(spec.get("attach")),
            created_at=start,
        )
        _write_posts(debate, people, spec["posts"], start)
        stdout.write(f"  café debate: {debate.title}")

    for spec, opens in ((SESSION_PAST, now - timedelta(days=20)),
                        (SESSION_NEXT, now + timedelta(days=6))):
        if CafeSession.objects.filter(title=spec["title"]).exists():
            continue
        session = CafeSession.objects.create(
            title=spec["title"], description=spec["description"], guest=people[spec["guest"]],
            category=categories[spec["category"]], opens_at=opens,
            closes_at=opens + timedelta(hours=1), cuaderno=attach["cuaderno"],
        )
        debate = Debate.objects.create(
            category=session.category, title=session.title, author=session.guest,
            session=session, page=session.cuaderno, created_at=opens, last_activity_at=opens,
        )
        if spec.get("posts"):
            _write_posts(debate, people, spec["posts"], opens)
        stdout.write(f"  café session: {session.title}")


def _translate_category(category):
    for code, (name, description) in CATEGORY_TRANSLATIONS.get(category.slug, {}).items():
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None or category.has_translation(locale):
            continue
        translated = category.copy_for_translation(locale)
        translated.name, translated.description = name, description
        translated.save()
        category_texts.forget()
