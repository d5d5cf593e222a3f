"""Demo content of the collection (``load_demo`` runs it through ``allas_demo_loader``).

Everything is looked up before it is created, so a second run changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale, Page

from allas_site.core import page_tree
from allas_site.core.models import HomePage
from allas_site.partners.demo_places import place_demo_partners
from allas_site.partners.models import Partner
from allas_site.publications import demo_content as content
from allas_site.publications import demo_translations as translations
from allas_site.publications import services
from allas_site.publications.models import (
    MessagesPage,
    PublicationAuthor,
    PublicationEdition,
    PublicationIndexPage,
    PublicationPage,
    StandardPage,
)
from allas_site.publications.pdf import make_pdf
from allas_site.topics.models import Topic

INDEX_TITLES = {"es": "Cuadernos", "en": "Cuadernos", "fr": "Cahiers", "pt": "Cadernos"}
INDEX_INTROS = {
    "es": "<p>La <b>Colección de Cuadernos para la Internacionalización de las Ciudades</b>, "
    "artículos, eBooks y relatorías de los debates de la comunidad AL-LAs.</p>",
    "en": "<p>The <b>Cuadernos collection on the internationalisation of cities</b>, with "
    "articles, eBooks and summaries of the AL-LAs community's debates.</p>",
    "fr": "<p>La <b>collection des Cahiers pour l’internationalisation des villes</b>, des "
    "articles, des eBooks et des synthèses des débats de la communauté AL-LAs.</p>",
    "pt": "<p>A <b>Coleção de Cadernos para a Internacionalização das Cidades</b>, artigos, "
    "eBooks e relatorias dos debates da comunidade AL-LAs.</p>",
}


def _collection(name):
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def _document(title, lines, filename, collection):
    Document = get_document_model()
    found = Document.objects.filter(title=title).first()
    if found:
        return found
    return Document.objects.create(
        title=title, collection=collection,
        file=ContentFile(make_pdf(title, lines), name=filename),
    )


def _translate_snippet(original, texts):
    """Give ``original`` (a topic or partner) a translation per language of ``texts``
    (``{language: {field: text}}``). Fields of an existing translation that still hold
    the original's text (an earlier demo copied them untranslated) are translated too;
    fields someone has edited are left alone."""
    for code, fields in texts.items():
        locale = Locale.objects.get(language_code=code)
        translated = original.get_translation_or_none(locale)
        if translated is None:
            translated = original.copy_for_translation(locale)
        stale = {
            field: text for field, text in fields.items()
            if getattr(translated, field) != text
            and (translated.pk is None or getattr(translated, field) == getattr(original, field))
        }
        for field, text in stale.items():
            setattr(translated, field, text)
        if stale or translated.pk is None:
            translated.save()


def load_topics(stdout):
    es = Locale.get_default()
    topics = {}
    for slug, name, description, featured in content.TOPICS:
        topic = Topic.objects.filter(slug=slug, locale=es).first()
        if topic is None:
            topic = Topic.objects.create(
                slug=slug, name=name, description=description, featured=featured, locale=es
            )
        _translate_snippet(topic, {
            code: {"name": name, "description": description}
            for code, (name, description) in translations.TOPICS[slug].items()
        })
        topics[slug] = topic
    stdout.write(f"  {len(topics)} topics")
    return topics


def load_partners(stdout, topics):
    es = Locale.get_default()
    User = get_user_model()
    people = {"medellin": "experta@allas.local", "lyon": "experto@allas.local"}
    partners = {}
    for slug, name, kind, country, city, website, description, topic_slugs in content.PARTNERS:
        partner = Partner.objects.filter(slug=slug, locale=es).first()
        if partner is None:
            partner = Partner(
                slug=slug, name=name, partner_type=kind, country=country, city=city,
                website=website, description=description, locale=es,
            )
            partner.save()
            partner.topics.set([topics[t] for t in topic_slugs])
            if slug in people:
                partner.people.set(User.objects.filter(email=people[slug]))
            partner.save()
        _translate_snippet(partner, translations.PARTNERS[slug])
        partners[slug] = partner
    place_demo_partners(partners)
    stdout.write(f"  {len(partners)} partners")
    return partners


def load_index(home):
    index = PublicationIndexPage.objects.child_of(home).first()
    if index is None:
        index = PublicationIndexPage(
            title=INDEX_TITLES["es"], slug="cuadernos", introduction=INDEX_INTROS["es"]
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    for code in ("en", "fr", "pt"):
        locale = Locale.objects.get(language_code=code)
        translated = page_tree.start_translation(index, locale)
        if translated is not None:
            translated.title = INDEX_TITLES[code]
            translated.introduction = INDEX_INTROS[code]
            translated.save_revision().publish()
    return index


def _authors(names):
    User = get_user_model()
    result = []
    for name in names:
        if "@" in name:
            person = User.objects.filter(email=name).first()
            result.append(PublicationAuthor(person=person, name="" if person else name))
        else:
            result.append(PublicationAuthor(name=name))
    return result


def _body(abstract):
    return [
        ("heading", {"text": "Introducción", "level": "h2"}),
        ("paragraph", f"<p>{abstract}</p>"),
        ("callout", {"tone": "key", "title": "Idea clave",
                     "text": "<p>La acción internacional es un medio para mejorar la vida "
                             "de la gente del territorio.</p>"}),
        ("quote", {"text": "Ninguna ciudad influye sola en la agenda global.",
                   "attribution": "Comunidad AL-LAs"}),
    ]


# Earlier demos drew a raster cover with the title on it (printed twice on every card);
# the collection's generated covers (components/publications/cover.html) replace them.
OLD_COVERS = "Portadas de publicaciones"


def drop_drawn_covers(stdout):
    pages = PublicationPage.objects.filter(
        cover_image__collection__name=OLD_COVERS, alias_of__isnull=True
    )
    dropped = 0
    for page in pages:
        page.cover_image = None
        page.save_revision().publish()  # aliases follow their original
        dropped += 1
    if dropped:
        stdout.write(f"  {dropped} drawn covers replaced by generated ones")


def load_publication(index, data, topics, partners, docs):
    existing = PublicationPage.objects.child_of(index).filter(slug=data["slug"]).first()
    if existing is not None:
        return existing, False
    number = data["number"]
    pdf = _document(
        data["title"], [data["subtitle"], "", data["abstract"], "", "AL-LAs · Ciudades al mundo"],
        f"{data['slug']}-es.pdf", docs,
    )
    page = PublicationPage(
        title=data["title"], slug=data["slug"], publication_type=data["type"],
        series_number=number, subtitle=data["subtitle"], abstract=data["abstract"],
        publication_date=datetime.date.fromisoformat(data["date"]),
        language=data.get("language", "es"), isbn=data.get("isbn", ""),
        body=_body(data["abstract"]),
    )
    page.authors = _authors(data["authors"])
    page.editions = [PublicationEdition(language="es", document=pdf)]
    page.topics = [topics[slug] for slug in data["topics"]]
    page.partners = [partners[slug] for slug in data["partners"]]
    index.add_child(instance=page)
    page.save_revision().publish()
    for code, fields in data.get("translations", {}).items():
        locale = Locale.objects.get(language_code=code)
        translated = page_tree.start_translation(page, locale)
        for field, value in fields.items():
            setattr(translated, field, value)
        translated_pdf = _document(
            fields["title"], [fields["subtitle"], "", fields["abstract"]],
            f"{data['slug']}-{code}.pdf", docs,
        )
        translated.editions = [
            PublicationEdition(language="es", document=pdf),
            PublicationEdition(language=code, document=translated_pdf),
        ]
        translated.body = []
        translated.save_revision().publish()
        # The Spanish page offers the translated PDF too.
        page.editions = [
            PublicationEdition(language="es", document=pdf),
            PublicationEdition(language=code, document=translated_pdf),
        ]
        page.save_revision().publish()
    return page, True


def load_messages(home, cuadernos):
    page = MessagesPage.objects.child_of(home).first()
    if page is None:
        blocks = []
        related = list(cuadernos)
        for number, (title, text) in enumerate(content.MESSAGES, start=1):
            links = [related[(number - 1) % len(related)]] if related else []
            blocks.append(("message", {"number": number, "title": title,
                                       "text": f"<p>{text}</p>", "related": links}))
        page = MessagesPage(slug="mensajes", messages=blocks, **content.MESSAGES_PAGE)
        home.add_child(instance=page)
        page.save_revision().publish()
    for code in translations.LANGUAGES:
        translate_messages(page, code)


def _pages_in(locale, raw_items):
    """Raw items of a page chooser list pointing at each page's version in ``locale``
    (translation or alias), at the original where there is none."""
    pages = Page.objects.in_bulk([item["value"] for item in raw_items])
    items = []
    for item in raw_items:
        page = pages.get(item["value"])
        other = page.get_translation_or_none(locale) if page else None
        items.append({**item, "value": other.pk if other else item["value"]})
    return items


def translate_messages(page, code):
    """The messages page in ``code``: same numbers, block ids and linked Cuadernos (in
    that language's tree), translated titles and texts. Nothing if already translated."""
    locale = Locale.objects.get(language_code=code)
    translated = page_tree.start_translation(page, locale)
    if translated is None:
        return
    blocks = []
    for raw, (title, text) in zip(page.messages.raw_data, translations.MESSAGES[code],
                                  strict=True):
        value = dict(raw["value"], title=title, text=f"<p>{text}</p>")
        value["related"] = _pages_in(locale, raw["value"].get("related") or [])
        blocks.append({**raw, "value": value})
    translated.messages = blocks
    translated.title = translations.MESSAGES_PAGE[code]["title"]
    translated.introduction = translations.MESSAGES_PAGE[code]["introduction"]
    translated.save_revision().publish()


def about_body(texts):
    activities = "".join(f"<li>{activity}</li>" for activity in texts["activities"])
    return [
        ("paragraph", f"<p>{texts['origin']}</p>"),
        ("heading", {"text": texts["heading"], "level": "h2"}),
        ("paragraph", f"<ul>{activities}</ul>"),
    ]


def load_about(home):
    page = StandardPage.objects.child_of(home).filter(slug="sobre-allas").first()
    if page is None:
        page = StandardPage(
            slug="sobre-allas", title=content.ABOUT["title"],
            introduction=content.ABOUT["introduction"], body=about_body(content.ABOUT),
        )
        home.add_child(instance=page)
        page.save_revision().publish()
    for code in translations.LANGUAGES:
        translated = page_tree.start_translation(page, Locale.objects.get(language_code=code))
        if translated is None:
            continue
        texts = translations.ABOUT[code]
        translated.title, translated.introduction = texts["title"], texts["introduction"]
        translated.body = about_body(texts)
        translated.save_revision().publish()


def load_publications(stdout):
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is None:
        return
    topics = load_topics(stdout)
    partners = load_partners(stdout, topics)
    index = load_index(home)
    docs = _collection("PDF de publicaciones")
    created = 0
    for data in content.PUBLICATIONS:
        _page, new = load_publication(index, data, topics, partners, docs)
        created += new
    drop_drawn_covers(stdout)
    cuadernos = PublicationPage.objects.child_of(index).filter(
        publication_type="cuaderno"
    ).order_by("series_number")
    load_messages(home, cuadernos)
    load_about(home)
    stdout.write(f"  {created} new publications")
    if services.do_name_moderation_workflow():
        stdout.write(f"  moderation workflow named «{services.MODERATION_WORKFLOW_NAME}»")
