"""Demo content for a believable AL-LAs Campus; used by ``manage.py load_demo``.

Everything is looked up before it is created, so running the loader twice changes
nothing. Later capabilities add their own ``load_*`` steps through the
``allas_demo_loader`` Wagtail hook, a function ``(stdout) -> None``.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail import hooks
from wagtail.models import Locale, Page, Site

from allas_site.accounts import roles
from allas_site.core import page_tree
from allas_site.core.models import HomePage
from allas_site.core.sites import public_hostname_and_port

DEMO_PASSWORD = "campus-allas-2026"  # noqa: S105 - printed on purpose: demo accounts only


@dataclass(frozen=True)
class DemoPerson:
    email: str
    display_name: str
    role: str | None
    organisation: str
    position: str
    city: str
    country: str
    expertise: str
    bio: str
    superuser: bool = False


DEMO_PEOPLE = [
    DemoPerson(
        "admin@allas.local", "Administración AL-LAs", None, "AL-LAs", "Coordinación técnica",
        "Ciudad de México", "MX", "gestión de plataformas", "Cuenta de administración del campus.",
        superuser=True,
    ),
    DemoPerson(
        "editora@allas.local", "Lucía Herrera", roles.EDITORS, "Coordinación editorial AL-LAs",
        "Editora de la Colección de Cuadernos", "Ciudad de México", "MX",
        "publicaciones, gestión del conocimiento",
        "Coordina la Colección de Cuadernos y los contenidos de formación del campus.",
    ),
    DemoPerson(
        "moderador@allas.local", "Tomás Ribeiro", roles.MODERATORS, "Red de ciudades",
        "Moderador del Café con AL-LAs", "Montevideo", "UY", "redes de ciudades, facilitación",
        "Acompaña los debates de la comunidad y cuida que sean abiertos y respetuosos.",
    ),
    DemoPerson(
        "experta@allas.local", "Mariana Ortega", roles.EXPERTS,
        "Secretaría de Relaciones Internacionales", "Directora de cooperación descentralizada",
        "Medellín", "CO", "cooperación descentralizada, marketing territorial, redes de ciudades",
        "Diseña estrategias de internacionalización para gobiernos locales y forma equipos "
        "municipales de relaciones internacionales.",
    ),
    DemoPerson(
        "experto@allas.local", "Jean-Baptiste Moreau", roles.EXPERTS, "Ville de Lyon",
        "Chargé de relations internationales", "Lyon", "FR",
        "diplomacia de ciudades, agendas globales, evaluación de impacto",
        "Trabaja en la articulación entre ciudades europeas y latinoamericanas y en la "
        "evaluación de proyectos de cooperación.",
    ),
    DemoPerson(
        "aprendiz@allas.local", "Sofía Paredes", None, "Municipalidad de Quito",
        "Técnica de la oficina de asuntos internacionales", "Quito", "EC",
        "proyectos de cooperación",
        "Se incorpora a la oficina internacional de su municipio y quiere profesionalizar "
        "su trabajo.",
    ),
]

HOME_CONTENT = {
    "es": {
        "title": "Inicio",
        "hero_title": "Ciudades al mundo: aprender juntas a internacionalizarse",
        "hero_lead": (
            "Formación, publicaciones y debate entre gobiernos locales de Europa y América "
            "Latina para hacer de la acción internacional una política pública al servicio "
            "de su gente."
        ),
        "hero_cta_label": "Únete a la comunidad",
        "introduction": (
            "<p>AL-LAs Campus reúne a equipos municipales, personas expertas y redes de "
            "ciudades que trabajan la <b>internacionalización de los gobiernos locales</b>. "
            "Aquí encontrarás la Colección de Cuadernos, cursos a distancia, webinars y el "
            "Café con AL-LAs, el espacio donde la comunidad debate.</p>"
        ),
    },
    "en": {
        "title": "Home",
        "hero_title": "Cities to the world: learning together to go international",
        "hero_lead": (
            "Training, publications and debate among local governments in Europe and Latin "
            "America, to make international action a public policy that serves their people."
        ),
        "hero_cta_label": "Join the community",
        "introduction": (
            "<p>AL-LAs Campus brings together city staff, experts and city networks working "
            "on the <b>internationalisation of local governments</b>: the Cuadernos "
            "collection, distance courses, webinars and the Café con AL-LAs debates.</p>"
        ),
    },
    "fr": {
        "title": "Accueil",
        "hero_title": "Des villes ouvertes au monde : apprendre ensemble l’action internationale",
        "hero_lead": (
            "Formation, publications et débats entre collectivités locales d’Europe et "
            "d’Amérique latine, pour faire de l’action internationale une politique publique "
            "au service des habitants."
        ),
        "hero_cta_label": "Rejoindre la communauté",
        "introduction": (
            "<p>AL-LAs Campus réunit des équipes municipales, des experts et des réseaux de "
            "villes engagés dans l’<b>internationalisation des gouvernements locaux</b>.</p>"
        ),
    },
    "pt": {
        "title": "Início",
        "hero_title": "Cidades para o mundo: aprender juntas a internacionalizar-se",
        "hero_lead": (
            "Formação, publicações e debate entre governos locais da Europa e da América "
            "Latina para fazer da ação internacional uma política pública a serviço das "
            "pessoas."
        ),
        "hero_cta_label": "Junte-se à comunidade",
        "introduction": (
            "<p>O AL-LAs Campus reúne equipes municipais, especialistas e redes de cidades "
            "que trabalham a <b>internacionalização dos governos locais</b>.</p>"
        ),
    },
}


def load_people(stdout):
    User = get_user_model()
    created = []
    for person in DEMO_PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(
                person.email,
                DEMO_PASSWORD,
                display_name=person.display_name,
                organisation=person.organisation,
                position=person.position,
                city=person.city,
                country=person.country,
                expertise=person.expertise,
                bio=person.bio,
                languages=["es", "en"] if person.country != "FR" else ["fr", "es", "en"],
                is_staff=person.superuser,
                is_superuser=person.superuser,
            )
            created.append(person.email)
        EmailAddress.objects.get_or_create(
            user=user, email=person.email, defaults={"verified": True, "primary": True}
        )
        wanted = {roles.LEARNERS} | ({person.role} if person.role else set())
        for role in wanted:
            user.groups.add(_group(role))
    return created


def _group(name):
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=name)[0]


def load_home(stdout):
    """Make a HomePage the root of the default site, with its translations."""
    root = Page.get_first_root_node()
    default_locale = Locale.get_default()
    home = HomePage.objects.filter(locale=default_locale).first()
    if home is None:
        content = HOME_CONTENT["es"]
        home = HomePage(slug="inicio", locale=default_locale, **content)
        root.add_child(instance=home)
        home.save_revision().publish()
        stdout.write("  home page created")
    site = Site.objects.filter(is_default_site=True).first()
    hostname, port = public_hostname_and_port()
    if site is None:
        site = Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True,
            site_name="AL-LAs Campus",
        )
    if (site.hostname, site.port) != (hostname, port):
        # Wagtail's "view live" links in the admin follow the Site: the public address.
        site.hostname, site.port = hostname, port
        site.save()
    if site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "AL-LAs Campus"
        site.save()
        # Wagtail's placeholder "Welcome" page has no place in the campus.
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()
    for code, content in HOME_CONTENT.items():
        if code == default_locale.language_code:
            continue
        locale, _created = Locale.objects.get_or_create(language_code=code)
        translated = page_tree.start_translation(home, locale)
        if translated is None:
            continue
        for field, value in content.items():
            setattr(translated, field, value)
        translated.save_revision().publish()
        stdout.write(f"  home page translated into {code}")
    return home


@transaction.atomic
def load_demo(stdout):
    with indexed_once():
        created = load_people(stdout)
        load_home(stdout)
        for loader in hooks.get_hooks("allas_demo_loader"):
            loader(stdout)
        page_tree.sync_page_tree(stdout)
    return created


_building = threading.local()


@contextmanager
def indexed_once():
    """Index each object the block saves once, when it is built, not at every save.

    A demo page is saved up to eight times (draft, revision, publish, alias, each
    translation); Wagtail's reference index, its admin search index and the site search
    would each be rebuilt every time: about a third of the loader's work (and of the
    tests' page factories, which use it too). Inside another such block it adds nothing:
    the outer one indexes everything at its end.
    """
    if getattr(_building, "active", False):
        yield
        return
    _building.active = True
    try:
        with _indexing_deferred():
            yield
    finally:
        _building.active = False


@contextmanager
def _indexing_deferred():
    from django.db.models.signals import post_save
    from modelsearch import index as wagtail_search
    from modelsearch import signal_handlers as wagtail_search_handlers
    from modelsearch.tasks import insert_or_update_object_task
    from wagtail.models import ReferenceIndex
    from wagtail.signal_handlers import disable_reference_index_auto_update
    from wagtail.tasks import update_reference_index_task

    from search import signals as site_search

    searched = [model for model in wagtail_search.get_indexed_models()
                if getattr(model, "search_auto_update", True)]
    saved = {}

    def remember(sender, instance, raw=False, **kwargs):
        # Models join ReferenceIndex.tracked_models as the admin's URLs load, which a
        # loader may trigger: which ones to index is decided at the end.
        if not raw:
            saved.setdefault((sender, instance.pk), None)

    for model in searched:
        post_save.disconnect(wagtail_search_handlers.post_save_signal_handler, sender=model)
    post_save.connect(remember, dispatch_uid="demo-indexed-once")
    try:
        with disable_reference_index_auto_update(), site_search.deferred():
            yield
    finally:
        post_save.disconnect(dispatch_uid="demo-indexed-once")
        for model in searched:
            post_save.connect(wagtail_search_handlers.post_save_signal_handler, sender=model)
    for model, pk in saved:
        referenced = model in ReferenceIndex.tracked_models
        if not (referenced or model in searched):
            continue
        if not model._default_manager.filter(pk=pk).exists():
            continue  # saved, then deleted by a later step
        names = (model._meta.app_label, model._meta.model_name, str(pk))
        if referenced:
            update_reference_index_task.call(*names)
        if model in searched:
            insert_or_update_object_task.call(*names)
