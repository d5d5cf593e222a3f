from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from search import report


@hooks.register("register_admin_urls")
def search_report_urls():
    return [path("informes/busquedas/", report.queries_report, name="search_queries_report")]


class SearchReportMenuItem(MenuItem):
    def is_shown(self, request):
        return report.may_read(request.user)


@hooks.register("register_reports_menu_item")
def search_report_menu_item():
    return SearchReportMenuItem(
        _("Búsquedas"), reverse("search_queries_report"), icon_name="search", order=900
    )
