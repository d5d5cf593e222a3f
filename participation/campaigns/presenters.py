"""What the campaign pages show, computed once for the models and the views (no
template logic beyond loops). Every list here is a fixed number of queries."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries

from allas_site.core.navigation import absolute_url
from allas_site.core.params import parse_count
from participation.campaigns import services
from participation.campaigns.forms import SignatureForm, initial_for
from participation.campaigns.map import signatories_map
from participation.campaigns.models import (
    CampaignPage,
    CampaignTally,
    CampaignUpdate,
    SignatoryType,
    Signature,
)

LATEST = 8
PAGE_SIZE = 50
UPDATES_SHOWN = 10


def index_context(request, index):
    campaigns = list(
        CampaignPage.objects.child_of(index).live().public()
        .order_by("-opens_at", "pk").specific()
    )
    keys = [campaign.translation_key for campaign in campaigns]
    counts = dict(
        CampaignTally.objects.filter(campaign__translation_key__in=keys,
                                     campaign__alias_of__isnull=True)
        .values_list("campaign__translation_key", "approved_count")
    )
    for campaign in campaigns:
        campaign.signature_count = counts.get(campaign.translation_key, 0)
        campaign.open_now = campaign.is_open()
    return {
        "open_campaigns": [c for c in campaigns if not c.has_closed()],
        "closed_campaigns": [c for c in campaigns if c.has_closed()],
    }


def _urls(request, page):
    base = page.get_url(request) or ""
    return {
        "sign_url": base + page.reverse_subpage("sign"),
        "signatories_url": base + page.reverse_subpage("signatories"),
        "badge_url": reverse("campaigns:badge", kwargs={"slug": page.slug}),
        "live_url": f"/ws/campanas/{page.pk}/",
    }


def embed_snippet(page):
    """The HTML a partner pastes: a link to the campaign around the badge image."""
    from django.utils.html import format_html

    page_url = absolute_url(page) or ""
    badge = absolute_url(reverse("campaigns:badge", kwargs={"slug": page.slug}))
    return str(format_html(
        '<a href="{}"><img src="{}" alt="{}" height="28"></a>',
        page_url, badge, _("%(title)s: firma la campaña") % {"title": page.title},
    ))


def campaign_context(request, page, form=None):
    original = services.original_of(page)
    count, last_seq = services.tally_of(original)
    urls = _urls(request, page)
    latest = list(
        services.public_signatures(original)
        .only("seq", "organisation", "signatory_type", "city", "country")[:LATEST]
    )
    updates = list(CampaignUpdate.objects.filter(campaign=original)[:UPDATES_SHOWN])
    if form is None:
        form = SignatureForm(initial=initial_for(request.user))
    related = []
    if page.related_publication_id and page.related_publication and page.related_publication.live:
        related.append((_("Cuaderno"), page.related_publication.title,
                        page.related_publication.get_url(request)))
    if page.related_webinar_id and page.related_webinar and page.related_webinar.live:
        related.append((_("Webinar"), page.related_webinar.title,
                        page.related_webinar.get_url(request)))
    return {
        "campaign": original,
        "signature_count": count,
        "last_seq": last_seq,
        "latest_signatures": latest,
        "updates": updates,
        "sign_form": form,
        "is_open": page.is_open(),
        "has_closed": page.has_closed(),
        "related_links": related,
        "signatories_map": signatories_map(original, urls["signatories_url"]),
        "embed_snippet": embed_snippet(page),
        "can_review": services.can_review(request.user, page),
        **urls,
    }


def _filters(request):
    kind = request.GET.get("tipo", "")
    country = request.GET.get("pais", "")
    return (kind if kind in SignatoryType.values else "",
            country.upper() if country.upper() in dict(countries) else "")


def signatories_context(request, page):
    """The public list: filtered by type and country, 50 a page, constant queries."""
    original = services.original_of(page)
    kind, country = _filters(request)
    signatures = services.public_signatures(original).only(
        "seq", "organisation", "signatory_type", "city", "country",
    )
    if kind:
        signatures = signatures.filter(signatory_type=kind)
    if country:
        signatures = signatures.filter(country=country)
    count, last_seq = services.tally_of(original)
    paginator = Paginator(signatures, PAGE_SIZE, allow_empty_first_page=True)
    number = parse_count(request.GET.get("pagina", "1")) or 1
    page_obj = paginator.get_page(min(number, 10**6))
    present_countries = (
        Signature.objects.for_campaign(original).approved().values("country")
        .annotate(n=Count("pk")).order_by()
    )
    country_choices = sorted(
        ((row["country"], dict(countries).get(row["country"], row["country"]))
         for row in present_countries),
        key=lambda item: item[1],
    )
    query = "&".join(part for part in (
        f"tipo={kind}" if kind else "", f"pais={country}" if country else "") if part)
    urls = _urls(request, page)
    return {
        "campaign": original,
        "signature_count": count,
        "last_seq": last_seq,
        "page_obj": page_obj,
        "signatures": list(page_obj.object_list),
        "filtered": bool(kind or country),
        "filter_count": page_obj.paginator.count,
        "kind": kind,
        "country": country,
        "kind_choices": SignatoryType.choices,
        "country_choices": country_choices,
        "page_query": query,
        "signatories_map": signatories_map(original, urls["signatories_url"]),
        "campaign_url": page.get_url(request),
        **urls,
    }
