"""Thin views: downloads, citations, topics, partners, feeds and "not translated yet"."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.documents.views.serve import serve as serve_document
from wagtail.models import Locale, Page

from allas_site.core.home_sections import collect_sections
from allas_site.core.languages import native_name
from allas_site.core.page_cache import cache_for_anonymous
from allas_site.partners.models import Partner
from allas_site.publications import citations, services
from allas_site.publications.listing import sort_publications
from allas_site.publications.models import PublicationPage
from allas_site.topics.models import Topic

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


@never_cache
@require_GET
def download(request, page_id, language):
    """Count one download of the edition, then serve the Wagtail document."""
    if language not in LANGUAGE_CODES:
        raise Http404(_("Idioma desconocido."))
    page, document = services.check_download(page_id, language)
    if document is None:
        raise Http404(_("Esta edición no existe o no está publicada."))
    services.do_count_download(page, language)
    return serve_document(request, document.pk, document.filename)


@require_GET
def citation(request, page_id, fmt):
    if fmt not in ("bib", "txt"):
        raise Http404(_("Formato de cita desconocido."))
    page = PublicationPage.objects.published().filter(pk=page_id).first()
    if page is None:
        raise Http404(_("Esta publicación no existe o no está publicada."))
    cite = citations.for_page(page, request)
    if fmt == "bib":
        response = HttpResponse(cite.bibtex, content_type="application/x-bibtex; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{cite.key}.bib"'
    else:
        response = HttpResponse(cite.apa + "\n", content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{cite.key}-apa.txt"'
    return response


def _snippet_for(queryset, slug, locale, missing):
    """The snippet of ``slug`` in ``locale``, else in any language (404 ``missing``)."""
    rows = list(queryset.filter(slug=slug))
    if not rows:
        raise Http404(missing)
    return next((row for row in rows if row.locale_id == locale.pk), rows[0])


@cache_for_anonymous
@require_GET
def topic_detail(request, slug):
    locale = Locale.get_active()
    topic = _snippet_for(
        Topic.objects.select_related("locale"), slug, locale, _("Este tema no existe.")
    )
    publications = sort_publications(
        PublicationPage.objects.published()
        .filter(locale=locale, topics__translation_key=topic.translation_key)
        .distinct()
        .for_listing(),
        "recientes",
    )
    paginator = Paginator(publications, 12)
    page_obj = paginator.get_page(request.GET.get("pagina"))
    partners = list(
        Partner.objects.in_locale(locale)
        .for_listing()
        .filter(topics__translation_key=topic.translation_key)
        .distinct()[:12]
    )
    # Courses, webinars and the Café add what they tag with this topic.
    sections = collect_sections("allas_topic_section", request, topic)
    return render(
        request,
        "topics/topic_detail.html",
        {
            "topic": topic,
            "page_obj": page_obj,
            "publications": page_obj.object_list,
            "total": paginator.count,
            "partners": partners,
            "sections": sections,
        },
    )


@cache_for_anonymous
@require_GET
def topic_list(request):
    topics = Topic.objects.in_locale()
    return render(request, "topics/topic_list.html", {"topics": topics})


@cache_for_anonymous
@require_GET
def partner_list(request):
    from allas_site.partners.filters import partner_directory

    return render(request, "partners/partner_list.html", partner_directory(request))


@cache_for_anonymous
@require_GET
def partner_detail(request, slug):
    locale = Locale.get_active()
    partner = _snippet_for(
        Partner.objects.select_related("logo", "locale"), slug, locale,
        _("Este socio no existe."),
    )
    publications = list(
        sort_publications(
            PublicationPage.objects.published()
            .filter(locale=locale, partners__translation_key=partner.translation_key)
            .distinct()
            .for_listing(),
            "recientes",
        )[:24]
    )
    people = list(partner.people.filter(is_active=True).order_by("display_name"))
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "publications": publications,
            "people": people,
            "topics": Topic.objects.localized_for(partner.topics.all()),
        },
    )


@require_GET
def not_translated(request, page_id):
    """Where the language switcher leads when a page has no translation yet."""
    page = (
        Page.objects.live().public().filter(pk=page_id, depth__gt=1)
        .select_related("locale").first()
    )
    # The tree's root and pages outside any site have no address to translate.
    if page is None or page.get_url(request) is None:
        raise Http404(_("Esta página no existe."))
    available = [
        {"page": translated, "name": native_name(translated.locale.language_code),
         "code": translated.locale.language_code, "url": translated.get_url(request)}
        for translated in page.get_translations(inclusive=True).live().select_related("locale")
    ]
    response = render(
        request,
        "publications/not_translated.html",
        {"original": page.specific, "page": page.specific, "available": available},
    )
    response["X-Robots-Tag"] = "noindex"
    return response
