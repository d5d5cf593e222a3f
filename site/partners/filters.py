"""The partners directory: filters by country and type, in a fixed number of queries."""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from wagtail.models import Locale

from allas_site.partners.models import Partner
from allas_site.partners.network import directory_map
from allas_site.publications.listing import Facet, FilterForm, facet_url


class PartnerFilterForm(FilterForm):
    pais = forms.ChoiceField(required=False, label=_("País"), choices=countries)
    tipo = forms.ChoiceField(
        required=False, label=_("Tipo"), choices=Partner.PartnerType.choices
    )


def partner_directory(request):
    form = PartnerFilterForm(request.GET)
    filters = form.cleaned_filters()
    base = Partner.objects.in_locale(Locale.get_active())
    partners = base.for_listing()
    if filters.get("pais"):
        partners = partners.filter(country=filters["pais"])
    if filters.get("tipo"):
        partners = partners.filter(partner_type=filters["tipo"])
    paginator = Paginator(partners.order_by("name", "pk"), 24)
    page_obj = paginator.get_page(request.GET.get("pagina"))

    country_scope = base.filter(partner_type=filters["tipo"]) if filters.get("tipo") else base
    country_rows = country_scope.exclude(country="").values("country").annotate(n=Count("pk"))
    country_names = dict(countries)
    country_facets = sorted(
        (
            Facet(row["country"], country_names[row["country"]], row["n"],
                  facet_url(filters, "pais", row["country"]),
                  filters.get("pais") == row["country"])
            for row in country_rows
        ),
        key=lambda facet: str(facet.label),
    )
    type_scope = base.filter(country=filters["pais"]) if filters.get("pais") else base
    type_counts = dict(type_scope.values_list("partner_type").annotate(n=Count("pk")))
    type_facets = [
        Facet(value, label, type_counts[value], facet_url(filters, "tipo", value),
              filters.get("tipo") == value)
        for value, label in Partner.PartnerType.choices
        if value in type_counts
    ]
    active = {k: v for k, v in filters.items() if v}
    return {
        "filter_form": form,
        "filters": active,
        "page_obj": page_obj,
        "partners": page_obj.object_list,
        "total": paginator.count,
        "country_facets": country_facets,
        "type_facets": type_facets,
        "page_query": urlencode(active),
        # Every partner the filters keep, not just this page's: the map is the network.
        "network_map": directory_map(partners),
    }
