from django.utils.translation import gettext as _
from wagtail import hooks


def _admin_urls():
    from django.urls import path

    from participation.campaigns import admin_views

    return [
        path("<int:page_id>/firmas/", admin_views.signatures, name="signatures"),
        path("<int:page_id>/novedad/", admin_views.post_update, name="update"),
    ]


@hooks.register("register_admin_urls")
def register_campaign_admin_urls():
    from django.urls import include, path

    return [path("campanas/", include((_admin_urls(), "campaigns_admin"),
                                      namespace="campaigns_admin"))]


def _signatures_button(page, user):
    from django.urls import reverse
    from wagtail.admin.widgets import Button

    from participation.campaigns.models import CampaignPage
    from participation.campaigns.services import can_review

    if not issubclass(page.specific_class or type(page), CampaignPage):
        return None
    if not can_review(user, page.specific):
        return None
    return Button(_("Firmas"), reverse("campaigns_admin:signatures", args=[page.pk]),
                  icon_name="group", priority=55)


@hooks.register("register_page_header_buttons")
def campaign_signatures_header_button(page, user, view_name, next_url=None):
    button = _signatures_button(page, user)
    if button is not None:
        yield button


@hooks.register("register_page_listing_more_buttons")
def campaign_signatures_listing_button(page, user, next_url=None):
    button = _signatures_button(page, user)
    if button is not None:
        yield button


@hooks.register("allas_demo_loader")
def load_campaign_demo(stdout):
    from participation.campaigns.demo import load_campaigns

    load_campaigns(stdout)


@hooks.register("allas_user_data_export")
def export_campaign_signatures(user):
    from participation.campaigns.models import Signature

    # Signatures made while logged in; an address alone proves nothing about who asks.
    signatures = Signature.objects.filter(user=user).select_related("campaign")
    return "campaign_signatures", [
        {
            "campaign": s.campaign.title, "organisation": s.organisation,
            "type": s.signatory_type, "city": s.city, "country": str(s.country),
            "representative_name": s.representative_name,
            "representative_role": s.representative_role, "email": s.email,
            "status": s.status, "signed_at": s.created_at.isoformat(),
        }
        for s in signatures
    ]
