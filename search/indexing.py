"""From the platform's content to ``SearchDocument`` rows, and into the index.

One ``project_*`` function per source says what a person may find of it: its words,
where it leads, and who may read it. ``refresh(obj)`` rewrites the rows of one source
(called after commit by ``search.signals``); ``rebuild()`` rewrites everything
(``manage.py rebuild_search``).

Only what is published and public is projected: live pages without view restrictions,
never aliases (they repeat their original's words), visible Café posts, active
experts. A hidden post or an unpublished page simply loses its rows.
"""

import logging
import re

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import strip_tags
from wagtail.models import Page
from wagtail.search.backends import get_search_backends

from search.models import Kind, SearchDocument

logger = logging.getLogger(__name__)
BODY_LIMIT = 60_000  # characters of a source's text kept for matching and snippets


# --- text of Wagtail fields -------------------------------------------------------------


def field_text(value):
    """Plain text of a model value: StreamField, rich text or string."""
    if value is None:
        return ""
    stream_block = getattr(value, "stream_block", None)
    if stream_block is not None:
        parts = stream_block.get_searchable_content(value)
        return "\n".join(_plain(str(part)) for part in parts if part)
    return _plain(str(value))


# Where one block of rich text ends and the next begins: a space, so list items and
# paragraphs do not run together in the index and in snippets ("ciudad.Definir").
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|div|blockquote|tr|td|th)>|<br\s*/?>", re.IGNORECASE)


def _plain(html):
    return strip_tags(BLOCK_END.sub(" ", html)).strip()


def _join(*parts):
    return "\n".join(part for part in parts if part)[:BODY_LIMIT]


def _in_language(language, func, *args):
    with translation.override(language):
        return func(*args)


def _localized(obj_url, language):
    # reverse() under the row's own language gives its prefix (/en/…; none for Spanish).
    return _in_language(language, obj_url)


def _date(value):
    if value is None:
        return None
    if hasattr(value, "hour"):
        return value
    from datetime import datetime, time

    return timezone.make_aware(datetime.combine(value, time(12)))


def _doc(source, **fields):
    date = _date(fields.pop("date", None))
    return SearchDocument(
        source=source, date=date, year=date.year if date else None, **fields
    )


# --- pages ------------------------------------------------------------------------------

PAGE_KINDS = {
    "publications.publicationpage": Kind.PUBLICATION,
    "publications.standardpage": Kind.PAGE,
    "publications.messagespage": Kind.PAGE,
    "courses.coursepage": Kind.COURSE,
    "courses.lessonpage": Kind.LESSON,
    "webinars.webinarpage": Kind.WEBINAR,
}


def _page_is_findable(page):
    return (
        page.live
        and not page.alias_of_id
        and not page.get_view_restrictions().exists()
    )


def _first_topic(page):
    topics = getattr(page, "topics", None)
    if topics is None:
        return None
    topic = topics.order_by("pk").first()
    if topic is None:
        return None
    # Facets count topics once across languages: the Spanish row stands for all.
    original = topic.get_translations(inclusive=True).filter(
        locale__language_code=settings.LANGUAGE_CODE
    ).first()
    return original or topic


def project_page(page):
    page = page.specific
    label = page._meta.label_lower
    kind = PAGE_KINDS.get(label)
    if kind is None or not _page_is_findable(page):
        return []
    language = page.locale.language_code
    common = {
        "kind": kind,
        "source_type": label,
        "source_id": page.pk,
        "translation_key": str(page.translation_key),
        "language": language,
        "heading": page.title[:255],
        "url": page.get_url() or "",
        "topic": _first_topic(page),
    }
    if not common["url"]:
        return []
    source = f"{label}:{page.pk}"
    if kind == Kind.PUBLICATION:
        editions = " ".join(e.text for e in page.editions.all() if e.text)
        authors = ", ".join(page.author_names)
        return [_doc(
            source, **common, summary=page.abstract,
            content=_join(page.subtitle, authors, field_text(page.body), editions),
            context=str(page.get_publication_type_display()),
            date=page.publication_date or page.first_published_at,
        )]
    if kind == Kind.PAGE:
        body = page.messages if label.endswith("messagespage") else page.body
        return [_doc(source, **common, summary=page.introduction,
                     content=field_text(body), date=page.last_published_at)]
    if kind == Kind.COURSE:
        return [_doc(
            source, **common, summary=page.summary,
            content=_join(field_text(page.objectives), field_text(page.description)),
            date=page.starts_on or page.first_published_at,
        )]
    if kind == Kind.LESSON:
        course = page.get_parent().specific
        course_key = str(course.translation_key)
        common.update(context=course.title[:255], topic=_first_topic(course))
        if page.free_preview:  # open to everyone (courses.services.can_read_lesson)
            return [_doc(source, **common, summary=page.summary,
                         content=field_text(page.body), date=page.first_published_at)]
        # Everyone finds the lesson by its title and summary; only the course's
        # learners by its body (their row replaces the preview, see visible_to).
        return [
            _doc(source, **common, summary=page.summary, preview_of_course=course_key,
                 date=page.first_published_at),
            _doc(f"{source}:full", **common, summary=page.summary,
                 content=field_text(page.body), enrolled_course=course_key,
                 date=page.first_published_at),
        ]
    if kind == Kind.WEBINAR:
        # Title, summary, programme and the recording's chapters; never the joining
        # link or the stream address (not text fields the projection reads).
        chapters = field_text(getattr(page, "chapters", None))
        return [_doc(
            source, **common, summary=page.summary,
            content=_join(field_text(page.body), chapters, _answered_questions(page)),
            date=page.starts_at,
        )]
    return []


def _answered_questions(webinar):
    """The live Q&A's answered questions (shared by every language of the event)."""
    try:
        question_model = apps.get_model("webinars.Question")
    except LookupError:
        return ""
    texts = question_model.objects.filter(
        webinar_key=webinar.translation_key, status="answered"
    ).values_list("text", flat=True)[:200]
    return "\n".join(texts)


# --- snippets, people, the Café ----------------------------------------------------------


def _original(obj):
    if obj.locale.language_code == settings.LANGUAGE_CODE:
        return obj
    return obj.get_translations().filter(locale__language_code=settings.LANGUAGE_CODE).first()


def project_topic(topic):
    language = topic.locale.language_code
    original = _original(topic) or topic
    return [_doc(
        f"topics.topic:{topic.pk}", kind=Kind.TOPIC, source_type="topics.topic",
        source_id=topic.pk, translation_key=str(topic.translation_key), language=language,
        heading=topic.name, summary=topic.description,
        url=_localized(topic.get_absolute_url, language), topic=original,
    )]


def project_partner(partner):
    language = partner.locale.language_code
    with translation.override(language):
        kind_label = str(partner.get_partner_type_display())
        country = str(partner.country.name) if partner.country else ""
        url = partner.get_absolute_url()
    return [_doc(
        f"partners.partner:{partner.pk}", kind=Kind.PARTNER, source_type="partners.partner",
        source_id=partner.pk, translation_key=str(partner.translation_key),
        language=language, heading=partner.name, summary=partner.description,
        content=_join(partner.city, country), context=kind_label, url=url,
    )]


def project_expert(user):
    from django.urls import reverse

    if not user.is_active or not user.is_expert:
        return []  # other members' profiles are for signed-in people only
    with translation.override(settings.LANGUAGE_CODE):
        url = reverse("accounts:person", args=[user.pk])
    return [_doc(
        f"accounts.user:{user.pk}", kind=Kind.EXPERT, source_type="accounts.user",
        source_id=user.pk, translation_key=f"user-{user.pk}", language=settings.LANGUAGE_CODE,
        heading=user.public_name[:255],
        summary=", ".join(part for part in (user.position, user.organisation) if part),
        content=_join(user.expertise, user.bio, user.city), url=url,
    )]


def project_debate(debate):
    category = debate.category
    with translation.override(settings.LANGUAGE_CODE):
        url = debate.get_absolute_url()
    return [_doc(
        f"community.debate:{debate.pk}", kind=Kind.DEBATE, source_type="community.debate",
        source_id=debate.pk, translation_key=f"debate-{debate.pk}",
        language=settings.LANGUAGE_CODE, heading=debate.title[:255],
        context=category.name[:255], url=url, topic=category.topic,
        read_level=category.read_access, date=debate.created_at,
    )]


def project_post(post):
    if post.status != "visible":
        return []  # pending and hidden posts are never found
    debate = post.debate
    category = debate.category
    with translation.override(settings.LANGUAGE_CODE):
        url = post.get_absolute_url()
    author = post.author.public_name if post.author_id else ""
    return [_doc(
        f"community.post:{post.pk}", kind=Kind.POST, source_type="community.post",
        source_id=post.pk, translation_key=f"post-{post.pk}",
        language=settings.LANGUAGE_CODE, heading=debate.title[:255],
        content=strip_tags(post.body_html)[:BODY_LIMIT], context=author[:255], url=url,
        topic=category.topic, read_level=category.read_access, date=post.created_at,
        suggestable=False,
    )]


PROJECTORS = {
    "topics.topic": project_topic,
    "partners.partner": project_partner,
    "accounts.user": project_expert,
    "community.debate": project_debate,
    "community.post": project_post,
}


def source_label(obj):
    if isinstance(obj, Page):
        return obj.specific_class._meta.label_lower if obj.specific_class else None
    return obj._meta.label_lower


def project(obj):
    label = source_label(obj)
    if label in PAGE_KINDS:
        return project_page(obj)
    projector = PROJECTORS.get(label)
    return projector(obj) if projector else []


# --- writing the rows and the index --------------------------------------------------------


def _backends():
    return list(get_search_backends(with_auto_update=True))


def write(label, source_id, documents):
    """Replace the rows of one source with ``documents`` and index them."""
    with transaction.atomic():
        stale = SearchDocument.objects.filter(source_type=label, source_id=source_id)
        keep = {doc.source for doc in documents}
        gone = list(stale.exclude(source__in=keep))
        existing = {doc.source: doc.pk for doc in stale.filter(source__in=keep)}
        for doc in gone:
            for backend in _backends():
                backend.delete(doc)
        SearchDocument.objects.filter(pk__in=[doc.pk for doc in gone]).delete()
        for doc in documents:
            doc.pk = existing.get(doc.source)
            doc.indexed_at = timezone.now()
            doc.save()
        keys = {doc.translation_key for doc in documents} | {doc.translation_key for doc in gone}
        set_languages(keys)
        if documents:
            for backend in _backends():
                backend.add_bulk(SearchDocument, documents)


def set_languages(keys=None):
    """Write each row's ``languages``: the languages its thing is findable in. Returns
    how many rows changed."""
    rows = SearchDocument.objects.all()
    if keys is not None:
        rows = rows.filter(translation_key__in=list(keys))
    found = {}
    for key, language in rows.values_list("translation_key", "language"):
        found.setdefault(key, set()).add(language)
    by_value = {}
    for key, languages in found.items():
        by_value.setdefault("," + ",".join(sorted(languages)) + ",", []).append(key)
    changed = 0
    for value, group in by_value.items():
        for start in range(0, len(group), 500):
            changed += SearchDocument.objects.filter(
                translation_key__in=group[start:start + 500]
            ).exclude(languages=value).update(languages=value)
    return changed


def refresh(obj):
    """Bring one source's rows up to date (its current state decides)."""
    label = source_label(obj)
    if label is None:
        return
    write(label, obj.pk, project(obj))


def forget(label, source_id):
    write(label, source_id, [])


def refresh_related(obj):
    """A change that others' rows depend on: a debate's category, a lesson's course…"""
    label = source_label(obj)
    if label == "community.debate":
        for post in obj.posts.select_related("author", "debate__category"):
            refresh(post)
    elif label == "courses.coursepage":
        for lesson in obj.get_children():
            refresh(lesson)


def sources():
    """Everything that may be found, for a full rebuild."""
    from allas_site.accounts import roles

    pages = Page.objects.filter(
        alias_of__isnull=True, live=True,
        content_type__in=_page_content_types(),
    ).specific().iterator(chunk_size=200)
    yield from pages
    for label in ("topics.topic", "partners.partner"):
        yield from apps.get_model(label).objects.select_related("locale").iterator()
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    yield from user_model.objects.filter(
        is_active=True, groups__name=roles.EXPERTS
    ).distinct().iterator()
    debate_model = apps.get_model("community.Debate")
    yield from debate_model.objects.select_related("category").iterator()
    post_model = apps.get_model("community.Post")
    yield from post_model.objects.filter(status="visible").select_related(
        "debate__category", "author"
    ).iterator(chunk_size=1000)


def _page_content_types():
    from django.contrib.contenttypes.models import ContentType

    models_ = []
    for label in PAGE_KINDS:
        try:
            models_.append(apps.get_model(label))
        except LookupError:  # webinars not installed yet
            continue
    return ContentType.objects.get_for_models(*models_).values()


def rebuild(stdout=None, batch=500):
    """Project every source again and index the result (idempotent)."""
    _delete_all()
    # Each row is written with the languages its thing has so far (set_languages
    # afterwards rewrote nearly every row); set_languages then corrects only the rows
    # of things that gained a language in a later batch (pages translated elsewhere
    # in the tree), not the posts.
    found, pending, count = {}, [], 0
    for obj in sources():
        for doc in project(obj):
            found.setdefault(doc.translation_key, set()).add(doc.language)
            pending.append(doc)
        if len(pending) >= batch:
            count += _save_batch(_with_languages(pending, found))
            pending = []
    count += _save_batch(_with_languages(pending, found))
    set_languages()
    _analyse()
    if stdout:
        stdout.write(f"  {count} search documents indexed")
    return count


def _analyse():
    # Fresh planner statistics after a bulk rebuild: with stale ones PostgreSQL may join
    # the index entries row by row (seconds instead of milliseconds).
    from django.db import connection
    from modelsearch.conf import get_app_config

    index_entry = get_app_config().get_model("IndexEntry")
    if connection.vendor == "postgresql":
        # Outside a transaction also VACUUM: indexing rewrote every new row once (the
        # vectors copied into it, search.backends), leaving as many dead versions for
        # the search's table scans to skip until autovacuum comes.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            cursor.execute(
                f"{command} {SearchDocument._meta.db_table}, {index_entry._meta.db_table}"
            )


def _delete_all():
    """Every document and its database index entries (Wagtail's own entries for the
    admin's search stay)."""
    from django.db import connection

    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # The entries go with them (a generic relation). Inside a transaction TRUNCATE
        # would lock searches out until its end (and fails with deferred checks due).
        SearchDocument.objects.all().delete()
        return
    from django.contrib.contenttypes.models import ContentType
    from modelsearch.conf import get_app_config

    index_entry = get_app_config().get_model("IndexEntry")
    content_type = ContentType.objects.get_for_model(SearchDocument)
    index_entry.objects.filter(content_type=content_type)._raw_delete(connection.alias)
    # TRUNCATE, not DELETE: a deleted row's space is not reused before VACUUM, so a
    # rebuild left a table twice its size (searches read every page of it).
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {SearchDocument._meta.db_table}")


def _with_languages(documents, found):
    for doc in documents:
        doc.languages = "," + ",".join(sorted(found[doc.translation_key])) + ","
    return documents


def _save_batch(documents):
    """Insert new documents and index them: on PostgreSQL with this app's backend in one
    write per row (``insert_indexed``), elsewhere inserted then indexed."""
    if not documents:
        return 0
    backends = _backends()
    inserter = next((b for b in backends if hasattr(b, "insert_indexed")), None)
    if inserter is not None:
        inserter.insert_indexed(SearchDocument, documents)
    else:
        documents = SearchDocument.objects.bulk_create(documents, batch_size=500)
    for backend in backends:
        if backend is not inserter:
            backend.add_bulk(SearchDocument, documents)
    return len(documents)
