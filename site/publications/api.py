"""Wagtail API v2 at /api/v2/: pages, images and documents; published content only
(Wagtail's page endpoint already serves only live, public pages)."""

from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet


class JSONOnly(BaseContentNegotiation):
    """Always JSON, whatever the Accept header (a browser asks for HTML)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class JSONOnlyMixin:
    # JSON only: the browsable API would need DRF's templates (see settings).
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly


class PublicCollectionsMixin(JSONOnlyMixin):
    """Minus what sits in collections restricted to some readers."""

    def get_queryset(self):
        from wagtail.models import CollectionViewRestriction

        restricted = CollectionViewRestriction.objects.values("collection_id")
        return super().get_queryset().exclude(collection_id__in=restricted)


class JSONPagesAPIViewSet(JSONOnlyMixin, PagesAPIViewSet):
    pass


class PublicDocumentsAPIViewSet(PublicCollectionsMixin, DocumentsAPIViewSet):
    pass


class PublicImagesAPIViewSet(PublicCollectionsMixin, ImagesAPIViewSet):
    pass


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", JSONPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
