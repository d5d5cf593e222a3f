"""The editors' report of searches: the most searched queries, and those that found
nothing (content to write, synonyms to promote), over the last 30 days."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from search import stats
from search.models import QueryStat

DAYS = 30
ROWS = 50


def may_read(user):
    from allas_site.accounts import roles

    return user.is_active and user.has_perm("wagtailadmin.access_admin") and (
        roles.has_role(user, roles.EDITORS) or user.is_superuser
    )


def queries_report(request):
    if not may_read(request.user):
        raise PermissionDenied
    stats.flush()  # the searches counted but not written yet
    since = timezone.localdate() - timedelta(days=DAYS)
    recent = QueryStat.objects.filter(day__gte=since).values("query", "language").annotate(
        searches=Sum("hits"), empty=Sum("empty_hits")
    )
    return render(request, "search/admin_report.html", {
        "page_title": _("Búsquedas de los últimos %(days)s días") % {"days": DAYS},
        "header_icon": "search",
        "popular": recent.order_by("-searches", "query")[:ROWS],
        "without_results": recent.filter(empty__gt=0).order_by("-empty", "query")[:ROWS],
    })
