"""E-mails of the campaigns, sent through the task system in the signer's language,
and the in-app notifications of an update.

Each task reads the signature again when it runs: a signature withdrawn in the
meantime gets nothing.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from allas_site.core.navigation import absolute_url

TEMPLATES = "campaigns/email"
UPDATES_ANCHOR = "#novedades"  # the updates' heading on the campaign page


def page_in(campaign, language):
    """The campaign as the signer reads it: its copy (translation or alias) in
    ``language``, else the page itself."""
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code=language).first()
    if locale is None or locale.pk == campaign.locale_id:
        return campaign
    return campaign.get_translation_or_none(locale) or campaign


def subpage_url(page, name, token=None):
    base = absolute_url(page) or settings.BASE_URL.rstrip("/") + "/campanas/"
    url = base + page.reverse_subpage(name)
    return f"{url}?{urlencode({'clave': token})}" if token else url


def _send(template, signature, page, extra=None):
    from participation.campaigns import services

    context = {
        "signature": signature,
        "campaign": page,
        "url": absolute_url(page),
        "withdraw_url": subpage_url(page, "withdraw", services.withdrawal_token(signature)),
        **(extra or {}),
    }
    subject = render_to_string(f"{TEMPLATES}/subject.txt", {**context, "kind": template})
    body = render_to_string(f"{TEMPLATES}/{template}.txt", context)
    EmailMessage(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body, settings.DEFAULT_FROM_EMAIL, [signature.email],
    ).send()
    return True


def _signature(signature_id):
    from participation.campaigns.models import Signature

    return Signature.objects.select_related("campaign").filter(pk=signature_id).first()


@task()
def send_signature_email(signature_id, kind, page_id=None):
    """``confirm`` (the link to open), ``confirmed`` (a member's signature waits for
    review), ``approve`` / ``reject`` (the editors' decision)."""
    from participation.campaigns import services
    from participation.campaigns.models import CampaignPage, SignatureStatus

    signature = _signature(signature_id)
    expected = {"confirm": SignatureStatus.PENDING, "confirmed": SignatureStatus.CONFIRMED,
                "approve": SignatureStatus.APPROVED, "reject": SignatureStatus.REJECTED}
    if signature is None or kind not in expected or signature.status != expected[kind]:
        return False
    with translation.override(signature.language or settings.LANGUAGE_CODE):
        page = CampaignPage.objects.filter(pk=page_id).first() if page_id else None
        page = page or page_in(signature.campaign, signature.language)
        extra = {}
        if kind == "confirm":
            extra["confirm_url"] = subpage_url(page, "confirm",
                                               services.confirmation_token(signature))
            extra["days"] = services.CONFIRM_MAX_AGE // 86400
        if kind == "approve":
            extra["signatories_url"] = subpage_url(page, "signatories")
        return _send(kind, signature, page, extra)


@task()
def send_campaign_update(update_id):
    """The update to every approved signatory (one e-mail each, in their language) and
    a notification to the members among them. Returns the number of e-mails sent."""
    from allas_site.notifications.services import do_notify
    from participation.campaigns.models import CampaignUpdate, Signature

    update = CampaignUpdate.objects.select_related("campaign").filter(pk=update_id).first()
    if update is None:
        return 0
    signatures = (
        Signature.objects.for_campaign(update.campaign).approved()
        .select_related("user").order_by("pk")
    )
    sent = 0
    notified = set()
    for signature in signatures.iterator():
        language = signature.language or settings.LANGUAGE_CODE
        with translation.override(language):
            page = page_in(update.campaign, language)
            _send("update", signature, page,
                  {"update": update, "updates_url": (absolute_url(page) or "") + UPDATES_ANCHOR})
            sent += 1
        member = signature.user
        if member is not None and member.pk not in notified:
            notified.add(member.pk)
            with translation.override(member.preferred_language or language):
                page = page_in(update.campaign, member.preferred_language or language)
                do_notify(
                    member, kind="campaign-update",
                    title=translation.gettext("Novedad en la campaña «%(title)s»: %(update)s")
                    % {"title": page.title, "update": update.title},
                    url=(page.url or "") + UPDATES_ANCHOR,
                    body=update.body[:300],
                )
    return sent
