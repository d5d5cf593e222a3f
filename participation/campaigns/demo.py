"""Demo campaign for ``load_demo`` (through the ``allas_demo_loader`` hook): the right
of local governments to international action, in four languages, with 25 signatures
from the seeds' cities and networks (most approved, two waiting for review, one still
unconfirmed) and one update. Signatures go through the services, as in the site.

Looked up before created, so a second run adds nothing.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale

from allas_site.core import page_tree
from allas_site.core.models import HomePage
from participation.campaigns import services
from participation.campaigns.models import (
    CampaignIndexPage,
    CampaignPage,
    CampaignUpdate,
    Signature,
    SignatureStatus,
)

INDEX_TEXTS = {
    "es": ("Campañas", "Posicionamientos comunes de las ciudades, gobiernos locales y redes de "
                       "la alianza. Lee cada campaña y súmate con la firma de tu organización."),
    "en": ("Campaigns", "Common positions of the alliance's cities, local governments and "
                        "networks. Read each campaign and add your organisation's signature."),
    "fr": ("Campagnes", "Positions communes des villes, collectivités locales et réseaux de "
                        "l'alliance. Lisez chaque campagne et ajoutez la signature de votre "
                        "organisation."),
    "pt": ("Campanhas", "Posições comuns das cidades, governos locais e redes da aliança. Leia "
                        "cada campanha e junte a assinatura da sua organização."),
}

SLUG = "accion-internacional-ni-un-paso-atras"
CAMPAIGN = {
    "es": {
        "title": "Acción internacional local: ni un paso atrás",
        "summary": "Pedimos a los gobiernos nacionales y a los organismos internacionales que "
                   "reconozcan el derecho de los gobiernos locales a actuar en el mundo.",
        "statement": [
            "Las ciudades ya cooperan, se hermanan, forman redes y llevan la voz de su "
            "población a las agendas globales. Esa acción exterior no es un lujo ni una "
            "moda: es una herramienta para mejorar la vida de quienes habitan cada "
            "territorio.",
            "Por eso quienes firmamos pedimos:",
            "<ul><li>marcos jurídicos nacionales que reconozcan expresamente la acción "
            "internacional de los gobiernos locales y le den seguridad jurídica;</li>"
            "<li>mecanismos de coordinación no jerárquicos entre los órdenes de gobierno, "
            "que respeten la autonomía local;</li><li>un lugar para las redes de ciudades "
            "en los espacios de decisión de Naciones Unidas y de los organismos "
            "regionales;</li><li>recursos estables para que la acción internacional "
            "sobreviva a los cambios de gobierno.</li></ul>",
            "Nos comprometemos a rendir cuentas de nuestra acción internacional ante la "
            "ciudadanía y a abrirla a la sociedad civil, la academia y el sector privado.",
        ],
        "update": ("Entregamos las primeras firmas",
                   "Presentamos la campaña y sus primeras firmas en el encuentro anual de "
                   "Mercociudades. Gracias a cada organización que se ha sumado: seguimos "
                   "recogiendo apoyos hasta el cierre."),
    },
    "en": {
        "title": "Local international action: not one step back",
        "summary": "We ask national governments and international organisations to recognise "
                   "the right of local governments to act in the world.",
        "statement": [
            "Cities already cooperate, twin, build networks and carry their people's voice "
            "to the global agendas. This external action is neither a luxury nor a fashion: "
            "it is a tool to improve the lives of those who live in each territory.",
            "That is why we, the signatories, ask for:",
            "<ul><li>national legal frameworks that explicitly recognise the international "
            "action of local governments and give it legal certainty;</li><li>non-"
            "hierarchical coordination between levels of government that respects local "
            "autonomy;</li><li>a place for city networks where the United Nations and "
            "regional bodies take decisions;</li><li>stable resources so that international "
            "action survives changes of government.</li></ul>",
            "We commit to account for our international action to citizens and to open it "
            "to civil society, academia and the private sector.",
        ],
    },
    "fr": {
        "title": "Action internationale locale : pas un pas en arrière",
        "summary": "Nous demandons aux gouvernements nationaux et aux organisations "
                   "internationales de reconnaître le droit des collectivités locales à agir "
                   "dans le monde.",
        "statement": [
            "Les villes coopèrent déjà, se jumellent, forment des réseaux et portent la voix "
            "de leurs habitants dans les agendas mondiaux. Cette action extérieure n'est ni "
            "un luxe ni une mode : c'est un outil pour améliorer la vie de chaque territoire.",
            "C'est pourquoi les signataires demandent des cadres juridiques qui "
            "reconnaissent l'action internationale locale, une coordination non "
            "hiérarchique entre niveaux de gouvernement, une place pour les réseaux de "
            "villes aux Nations unies et des moyens stables.",
        ],
    },
    "pt": {
        "title": "Ação internacional local: nem um passo atrás",
        "summary": "Pedimos aos governos nacionais e aos organismos internacionais que "
                   "reconheçam o direito dos governos locais a agir no mundo.",
        "statement": [
            "As cidades já cooperam, geminam-se, formam redes e levam a voz da sua população "
            "às agendas globais. Esta ação externa não é um luxo nem uma moda: é uma "
            "ferramenta para melhorar a vida de quem vive em cada território.",
            "Por isso, os signatários pedem quadros jurídicos que reconheçam a ação "
            "internacional local, coordenação não hierárquica entre níveis de governo, um "
            "lugar para as redes de cidades nas Nações Unidas e recursos estáveis.",
        ],
    },
}

# organisation, type, city, country, representative, role, e-mail user part, language
SIGNATURES = [
    ("Mercociudades", "network", "Montevideo", "UY", "Secretaría Técnica", "Coordinación",
     "mercociudades", "es"),
    ("Redcisur", "network", "Buenos Aires", "AR", "Ana Beatriz Duarte", "Coordinadora",
     "redcisur", "es"),
    ("FLACMA", "network", "Quito", "EC", "Jorge Andrade", "Secretario ejecutivo", "flacma", "es"),
    ("Ciudad de México", "local_government", "Ciudad de México", "MX", "Paula Cervantes",
     "Coordinadora de Asuntos Internacionales", "cdmx", "es"),
    ("Medellín", "local_government", "Medellín", "CO", "Mariana Ortega",
     "Directora de cooperación descentralizada", "medellin", "es"),
    ("Montevideo", "local_government", "Montevideo", "UY", "Rodrigo Píriz",
     "Director de Relaciones Internacionales", "montevideo", "es"),
    ("Quito", "local_government", "Quito", "EC", "Daniela Salazar",
     "Secretaria de Relaciones Internacionales", "quito", "es"),
    ("Belo Horizonte", "local_government", "Belo Horizonte", "BR", "Luana Ferreira",
     "Assessora de Relações Internacionais", "belohorizonte", "pt"),
    ("Lyon", "local_government", "Lyon", "FR", "Jean-Baptiste Moreau",
     "Chargé de relations internationales", "lyon", "fr"),
    ("Barcelona", "local_government", "Barcelona", "ES", "Montserrat Vidal",
     "Directora de Relaciones Internacionales", "barcelona", "es"),
    ("París", "local_government", "París", "FR", "Claire Dubois",
     "Déléguée aux relations internationales", "paris", "fr"),
    ("Municipalidad de Rosario", "local_government", "Rosario", "AR", "Martín Gómez",
     "Director de Relaciones Internacionales", "rosario", "es"),
    ("Alcaldía de Bogotá", "local_government", "Bogotá", "CO", "Camila Rojas",
     "Directora de Relaciones Internacionales", "bogota", "es"),
    ("Prefeitura de Porto Alegre", "local_government", "Porto Alegre", "BR", "Rafael Souza",
     "Secretário de Relações Internacionais", "portoalegre", "pt"),
    ("Intendencia de Canelones", "local_government", "Canelones", "UY", "Lucía Techera",
     "Directora de Cooperación", "canelones", "es"),
    ("Câmara Municipal de Lisboa", "local_government", "Lisboa", "PT", "Joana Martins",
     "Diretora de Relações Internacionais", "lisboa", "pt"),
    ("Ayuntamiento de Madrid", "local_government", "Madrid", "ES", "Álvaro Ruiz",
     "Subdirector de Acción Internacional", "madrid", "es"),
    ("Laboratorio para la Ciudad", "civil_society", "Ciudad de México", "MX",
     "Gabriela Núñez", "Coordinadora de proyectos", "labcdmx", "es"),
    ("Observatorio de Cooperación Descentralizada", "academia", "Barcelona", "ES",
     "Núria Puig", "Investigadora", "observatorio", "es"),
    ("Universidad de la República", "academia", "Montevideo", "UY", "Sergio Acosta",
     "Profesor de Relaciones Internacionales", "udelar", "es"),
    ("Instituto Mora", "academia", "Ciudad de México", "MX", "Fernanda Lozano",
     "Investigadora", "mora", "es"),
    ("Cités Unies France", "network", "París", "FR", "Hélène Martin", "Chargée de mission",
     "cuf", "fr"),
    ("Fundación Ciudades Abiertas", "civil_society", "Medellín", "CO", "Andrés Mejía",
     "Director", "ciudadesabiertas", "es"),
    ("Red de Mujeres Municipalistas", "civil_society", "Quito", "EC", "Verónica Paz",
     "Presidenta", "mujeresmunicipalistas", "es"),
    ("Asociación de Municipalidades del Sur", "network", "Lima", "PE", "Rosa Huamán",
     "Secretaria general", "amsur", "es"),
]
WAITING = {"cuf", "ciudadesabiertas"}  # confirmed, waiting for an editor
UNCONFIRMED = {"amsur"}  # the e-mail link not opened yet
MEMBER_SIGNATURE = ("medellin", "experta@allas.local")  # signed while logged in
REVIEWER = "editora@allas.local"


def _p(paragraphs):
    return "".join(text if text.startswith("<ul>") else f"<p>{text}</p>" for text in paragraphs)


def _index(home):
    index = CampaignIndexPage.objects.child_of(home).first()
    if index is None:
        title, intro = INDEX_TEXTS["es"]
        index = CampaignIndexPage(title=title, slug="campanas", introduction=f"<p>{intro}</p>")
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
    return CampaignIndexPage.objects.get(pk=index.pk)


def _related():
    from allas_site.publications.models import PublicationPage
    from webinars.models import WebinarPage

    es = Locale.get_default()
    return (
        PublicationPage.objects.live().filter(locale=es).order_by("pk").first(),
        WebinarPage.objects.live().filter(locale=es, slug="redes-de-ciudades-para-que-sirven")
        .first(),
    )


def _campaign(index, now):
    page = CampaignPage.objects.child_of(index).filter(slug=SLUG).first()
    if page is None:
        publication, webinar = _related()
        texts = CAMPAIGN["es"]
        page = CampaignPage(
            title=texts["title"], slug=SLUG, summary=texts["summary"],
            statement=_p(texts["statement"]), opens_at=now - timedelta(days=45),
            closes_at=now + timedelta(days=120), related_publication=publication,
            related_webinar=webinar,
        )
        index.add_child(instance=page)
        page.save_revision().publish()
    for code, texts in CAMPAIGN.items():
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None or locale.pk == page.locale_id:
            continue
        translated = page_tree.start_translation(page, locale)
        if translated is not None:
            translated.title, translated.summary = texts["title"], texts["summary"]
            translated.statement = _p(texts["statement"])
            translated.save_revision().publish()
    return CampaignPage.objects.get(pk=page.pk)


def _sign(campaign, row, when):
    organisation, kind, city, country, name, role, handle, language = row
    email = f"{handle}@ejemplo.org"
    user = None
    if handle == MEMBER_SIGNATURE[0]:
        user = get_user_model().objects.filter(email=MEMBER_SIGNATURE[1]).first()
        email = MEMBER_SIGNATURE[1] if user else email
    already = Signature.objects.for_campaign(campaign).filter(
        Q(email__iexact=email) | Q(organisation__iexact=organisation, country=country)
    )
    if already.exists():
        return None
    signature = services.do_sign(campaign, {
        "organisation": organisation, "signatory_type": kind, "city": city,
        "country": country, "representative_name": name, "representative_role": role,
        "email": email,
    }, user=user, language=language, now=when)
    if handle not in UNCONFIRMED and signature.status == SignatureStatus.PENDING:
        signature = services.do_confirm(campaign, services.confirmation_token(signature))
    return signature


def load_campaigns(stdout):
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is None:
        return
    now = timezone.now()
    index = _index(home)
    campaign = _campaign(index, now)
    reviewer = get_user_model().objects.filter(email=REVIEWER).first() or (
        get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    )
    created = []
    for number, row in enumerate(SIGNATURES):
        # Spread over the campaign's first weeks, oldest first.
        when = now - timedelta(days=40) + timedelta(hours=30 * number)
        signature = _sign(campaign, row, when)
        if signature is not None:
            created.append((row[6], signature))
    to_approve = [s.pk for handle, s in created
                  if handle not in WAITING | UNCONFIRMED]
    if to_approve and reviewer is not None:
        services.do_review(reviewer, campaign, to_approve, "approve")
    if created:
        stdout.write(f"  demo campaign: {len(created)} signatures")
    title, body = CAMPAIGN["es"]["update"]
    if reviewer is not None and not CampaignUpdate.objects.filter(
        campaign=campaign, title=title
    ).exists():
        services.do_post_update(reviewer, campaign, title, body, language="es")
