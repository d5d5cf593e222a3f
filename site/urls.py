from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path, register_converter
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from allas_site.core.params import IdConverter
from allas_site.publications import seo
from allas_site.publications.api import api_router

# <id:pk>: ASCII digits within a 64-bit column, else 404 (before any include uses it).
register_converter(IdConverter, "id")

handler500 = "allas_site.core.outage.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    path("robots.txt", seo.robots, name="robots"),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # static() serves nothing without DEBUG, so the dev server's media route is explicit.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

# Spanish is served without a prefix; /en/ /fr/ /pt/ for the other languages.
urlpatterns += i18n_patterns(
    path("cuentas/", include("allas_site.accounts.urls")),
    path("cuentas/", include("allauth.urls")),
    path("notificaciones/", include("allas_site.notifications.urls")),
    # Application routes of each capability; Wagtail's page tree serves the rest.
    path("", include("allas_site.publications.urls")),
    path("", include("courses.urls")),
    path("", include("community.urls")),
    path("", include("webinars.urls")),
    path("", include("search.urls")),
    path("", include("participation.consultations.urls")),
    path("", include("participation.campaigns.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
