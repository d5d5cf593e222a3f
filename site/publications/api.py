"""Wagtail API v2 at /api/v2/: pages, images and documents; published content only
(Wagtail's page endpoint already serves only live, public pages), and nothing an
anonymous visitor could not read on the site. ``?search=`` on pages is the site's own
search (search.query.page_ids): the same permissions, languages and ranking as
/buscar/, so a lesson's body is searched only for its course's learners."""

import unicodedata

from django.db import DatabaseError
from django.http import Http404
from rest_framework.filters import BaseFilterBackend
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import (
    PageAliasOfField,
    PageHtmlUrlField,
    PageParentField,
    PageSerializer,
    get_serializer_class,
)
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from allas_site.core import outage
from allas_site.core.navigation import absolute_url
from allas_site.core.params import parse_count, parse_id


class JSONOnly(BaseContentNegotiation):
    """Always JSON, whatever the Accept header (a browser asks for HTML)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


MAX_OFFSET = 100_000
MAX_SEARCH_CHARS = 200


def check_listing_params(request):
    """Refuse with a reason (400) what Wagtail would pass on to the database: offsets
    beyond any page of results or a 64-bit column, non-ASCII digits, and search text
    with control characters (a NUL byte ends a PostgreSQL string)."""
    for name, maximum in (("offset", MAX_OFFSET), ("limit", MAX_OFFSET)):
        if name in request.GET and parse_count(request.GET[name], maximum=maximum) is None:
            raise BadRequestError(f"{name} must be a whole number from 0 to {maximum}")
    search = request.GET.get("search")
    if search is not None:
        if len(search) > MAX_SEARCH_CHARS:
            raise BadRequestError(f"search is limited to {MAX_SEARCH_CHARS} characters")
        if any(unicodedata.category(char) in {"Cc", "Cs"} for char in search):
            raise BadRequestError("search must not contain control characters")


class JSONOnlyMixin:
    # JSON only: the browsable API would need DRF's templates (see settings).
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly

    def listing_view(self, request):
        check_listing_params(request)
        try:
            return super().listing_view(request)
        except DatabaseError as exc:
            # Full-text syntax the search backend cannot parse is the caller's mistake;
            # an outage is not, and goes on to the 503 handler.
            if "search" not in request.GET or outage.outage_kind(exc) is not None:
                raise
            raise BadRequestError("search query could not be understood") from exc

    def find_object(self, queryset, request):
        if "id" in request.GET and parse_id(request.GET["id"]) is None:
            raise BadRequestError("id must be a whole number from 1 to 2^63-1")
        return super().find_object(queryset, request)

    def detail_view(self, request, pk):
        if parse_id(pk) is None:
            raise Http404("No such id")  # beyond a 64-bit column: no such row
        return super().detail_view(request, pk)


class PublicCollectionsMixin(JSONOnlyMixin):
    """Minus what sits in collections restricted to some readers."""

    def get_queryset(self):
        from wagtail.models import CollectionViewRestriction

        restricted = CollectionViewRestriction.objects.values("collection_id")
        return super().get_queryset().exclude(collection_id__in=restricted)


class PublicHtmlUrlField(PageHtmlUrlField):
    """``html_url`` on the public address (BASE_URL), the same link the page's
    canonical tag, citation and sitemap entry give; Wagtail's own field reads the
    Site row's hostname."""

    def to_representation(self, page):
        return absolute_url(page, self.context.get("request"))


def _nested_page(field, value):
    # Wagtail builds the nested parent / alias_of objects on its own PageSerializer;
    # build them on ours so their html_url agrees with the page's.
    serializer_class = get_serializer_class(
        value.__class__,
        ["id", "type", "detail_url", "html_url", "title"],
        meta_fields=["type", "detail_url", "html_url"],
        base=PublicPageSerializer,
    )
    return serializer_class(context=field.context).to_representation(value)


class PublicParentField(PageParentField):
    def to_representation(self, value):
        return _nested_page(self, value)


class PublicAliasOfField(PageAliasOfField):
    def to_representation(self, value):
        return _nested_page(self, value)


class PublicPageSerializer(PageSerializer):
    html_url = PublicHtmlUrlField(read_only=True)
    parent = PublicParentField(read_only=True)
    alias_of = PublicAliasOfField(read_only=True)


class CampusSearchFilter(BaseFilterBackend):
    """``?search=`` through the site's search (originals and translations, never
    aliases; what the caller may read), ranked unless ``order`` is given."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        from django.db.models import Case, IntegerField, When

        from search import query

        ids = query.page_ids(request.GET["search"], request.user)
        queryset = queryset.filter(pk__in=ids)
        if "order" in request.GET or not ids:
            return queryset
        rank = Case(*[When(pk=pk, then=position) for position, pk in enumerate(ids)],
                    output_field=IntegerField())
        return queryset.order_by(rank)


class JSONPagesAPIViewSet(JSONOnlyMixin, PagesAPIViewSet):
    base_serializer_class = PublicPageSerializer
    filter_backends = [
        CampusSearchFilter if backend is SearchFilter else backend
        for backend in PagesAPIViewSet.filter_backends
    ]


class PublicDocumentsAPIViewSet(PublicCollectionsMixin, DocumentsAPIViewSet):
    pass


class PublicImagesAPIViewSet(PublicCollectionsMixin, ImagesAPIViewSet):
    pass


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", JSONPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
