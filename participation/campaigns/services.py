"""Every write of the campaigns: signing, confirming by e-mail, the editors' review,
withdrawal and the campaign's updates.

``check_*`` validates and checks permission (raises ``CampaignError`` with a sentence
for the person; nothing is written), ``do_*`` writes in one transaction, ``notify_*``
sends what the change means (e-mails through tasks, in-app notifications, socket
events), all after commit.

The public count is a column of ``CampaignTally``: approvals and withdrawals lock that
row (``select_for_update``; SQLite's transactions are ``IMMEDIATE``), so two editors
approving at once count each signature once, and the change number that numbers the
live events only grows.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from allas_site.accounts import roles
from allas_site.core import rate_limit
from allas_site.core.page_tree import original_page as original_of
from allas_site.core.text import single_line
from allas_site.realtime import send_event_on_commit
from participation.campaigns.events import campaign_group, signature_payload
from participation.campaigns.models import (
    CampaignTally,
    CampaignUpdate,
    SignatoryType,
    Signature,
    SignatureStatus,
)

CONFIRM_SALT = "campaigns.signature.confirm"
WITHDRAW_SALT = "campaigns.signature.withdraw"
CONFIRM_MAX_AGE = 3 * 24 * 3600  # the confirmation link works three days
# Field limits, the same as the model's (checked here too: services are the boundary).
MAX_LENGTHS = {"organisation": 200, "city": 120, "representative_name": 160,
               "representative_role": 160, "email": 254}
UPDATE_MAX = {"title": 200, "body": 5000}
# Sign-on attempts per client address: a school's or a city hall's shared address may
# sign for several organisations, a script may not.
SIGN_RATE_LIMIT = (10, 3600)


class CampaignError(Exception):
    """A refused action; ``str(error)`` is for the person, ``code`` for programs and
    ``field`` names the form field at fault, when there is one."""

    def __init__(self, message, code="invalid", status=400, field=None):
        super().__init__(message)
        self.code = code
        self.status = status
        self.field = field


# --- Reading ------------------------------------------------------------------------------


def tally_of(campaign):
    """``(approved_count, last_seq)`` of the campaign (its original's id), one query."""
    return (
        CampaignTally.objects.filter(campaign_id=campaign.pk)
        .values_list("approved_count", "last_seq").first()
        or (0, 0)
    )


def public_signatures(campaign):
    return (
        Signature.objects.for_campaign(campaign).approved()
        .select_related(None).order_by("-seq")
    )


# --- Tokens -------------------------------------------------------------------------------


def _token(signature, salt):
    return signing.dumps([signature.pk, signature.token], salt=salt, compress=True)


def confirmation_token(signature):
    return _token(signature, CONFIRM_SALT)


def withdrawal_token(signature):
    return _token(signature, WITHDRAW_SALT)


def _signature_from_token(campaign, token, salt, max_age=None):
    try:
        pk, nonce = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise CampaignError(
            _("El enlace ha caducado. Vuelve a firmar la campaña para recibir uno nuevo."),
            code="expired",
        ) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise CampaignError(_("El enlace no es válido. Cópialo entero desde el correo."),
                            code="bad_token", status=404) from error
    signature = (
        Signature.objects.filter(pk=pk, campaign_id=campaign.pk).first()
        if isinstance(pk, int) else None
    )
    if signature is None or not isinstance(nonce, str) or not secrets.compare_digest(
        signature.token, nonce
    ):
        raise CampaignError(
            _("Esta firma ya no existe: quizá se retiró o el enlace es antiguo."),
            code="unknown", status=404,
        )
    return signature


# --- Signing ------------------------------------------------------------------------------


def check_campaign_open(campaign, now=None):
    if not campaign.live:
        raise CampaignError(_("Esta campaña no está publicada."), code="not_live", status=404)
    now = now or timezone.now()
    if now < campaign.opens_at:
        raise CampaignError(_("Esta campaña todavía no está abierta a firmas."),
                            code="not_open")
    if campaign.has_closed(now):
        raise CampaignError(_("Esta campaña ya no recoge firmas: se cerró."), code="closed")


def check_sign_rate(client_key):
    if not rate_limit.allow("campaign-sign", client_key, SIGN_RATE_LIMIT):
        raise CampaignError(
            _("Demasiadas firmas desde tu conexión en poco tiempo. Inténtalo dentro de una hora."),
            code="rate_limited", status=429,
        )


@dataclass
class SignatureData:
    organisation: str
    signatory_type: str
    city: str
    country: str
    representative_name: str
    representative_role: str
    email: str


def clean_signature_data(raw):
    """``SignatureData`` from a mapping of strings, or ``CampaignError`` naming the
    first field at fault (the form checks the same; other callers rely on this)."""
    values = {}
    for field in ("organisation", "city", "representative_name", "representative_role",
                  "email"):
        value = raw.get(field)
        value = single_line(value) if isinstance(value, str) else ""
        if not value:
            raise CampaignError(_("Este campo es obligatorio."), code="required", field=field)
        if len(value) > MAX_LENGTHS[field]:
            raise CampaignError(
                _("Como máximo %(max)s caracteres.") % {"max": MAX_LENGTHS[field]},
                code="too_long", field=field,
            )
        values[field] = value
    try:
        validate_email(values["email"])
    except ValidationError as error:
        raise CampaignError(_("Escribe una dirección de correo válida, como nombre@ciudad.org."),
                            code="bad_email", field="email") from error
    kind = raw.get("signatory_type")
    if kind not in SignatoryType.values:
        raise CampaignError(_("Elige un tipo de organización de la lista."),
                            code="bad_type", field="signatory_type")
    country = raw.get("country")
    if not isinstance(country, str) or country.upper() not in dict(countries):
        raise CampaignError(_("Elige un país de la lista."), code="bad_country", field="country")
    return SignatureData(signatory_type=kind, country=country.upper(), **values)


def _duplicate_error():
    return CampaignError(
        _("Esta organización o esta dirección de correo ya han firmado la campaña "
          "(o su firma espera confirmación)."),
        code="duplicate", status=409,
    )


def _same_signer(campaign, data):
    return Signature.objects.for_campaign(campaign).filter(
        Q(email__iexact=data.email)
        | Q(organisation__iexact=data.organisation, country=data.country)
    )


def _matching_partner(data):
    """The network's partner this organisation is, for the map: same name (in any
    language) and country, or, for a city hall, the partner city of that name."""
    from allas_site.partners.models import Partner

    partners = Partner.objects.filter(Q(country=data.country) | Q(country=""))
    match = partners.filter(name__iexact=data.organisation).order_by("pk").first()
    if match is None and data.signatory_type == SignatoryType.LOCAL_GOVERNMENT:
        match = (
            partners.filter(city__iexact=data.city, partner_type__in=["city", "local_government"])
            .order_by("pk").first()
        )
    return match


def _verified_email_of(user, email):
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def do_sign(campaign, raw, *, user=None, language=None, now=None):
    """Sign ``campaign`` (any language's copy) with ``raw`` form values.

    A member signing with their own verified address skips the e-mail confirmation;
    everyone else gets a link that must be opened within three days. The signature
    then waits for an editor. A pending signature whose link has expired no longer
    blocks signing again. Runs in one transaction."""
    check_campaign_open(campaign, now)
    data = clean_signature_data(raw)
    original = original_of(campaign)
    member = user if getattr(user, "is_authenticated", False) else None
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=CONFIRM_MAX_AGE)
    with transaction.atomic():
        same = _same_signer(original, data)
        same.filter(status=SignatureStatus.PENDING, created_at__lt=stale_before).delete()
        if same.exists():
            raise _duplicate_error()
        confirmed = member is not None and _verified_email_of(member, data.email)
        signature = Signature(
            campaign=original, **data.__dict__,
            partner=_matching_partner(data), user=member,
            status=SignatureStatus.CONFIRMED if confirmed else SignatureStatus.PENDING,
            token=secrets.token_urlsafe(32),
            language=(language or translation.get_language() or "es").split("-")[0],
            created_at=now, confirmed_at=now if confirmed else None,
        )
        try:
            with transaction.atomic():
                signature.save()
        except IntegrityError as error:  # someone else signed in between
            raise _duplicate_error() from error
        notify_signed(signature, campaign)
    return signature


def notify_signed(signature, campaign):
    from participation.campaigns import tasks

    kind = "confirmed" if signature.status == SignatureStatus.CONFIRMED else "confirm"
    page_id = campaign.pk
    transaction.on_commit(
        lambda: tasks.send_signature_email.enqueue(signature.pk, kind, page_id), robust=True
    )


@transaction.atomic
def do_confirm(campaign, token):
    """Open the confirmation link: the signature now waits for an editor. Opening it
    again says so and changes nothing."""
    original = original_of(campaign)
    signature = _signature_from_token(original, token, CONFIRM_SALT, CONFIRM_MAX_AGE)
    signature = Signature.objects.select_for_update().get(pk=signature.pk)
    if signature.status == SignatureStatus.PENDING:
        signature.status = SignatureStatus.CONFIRMED
        signature.confirmed_at = timezone.now()
        signature.save(update_fields=["status", "confirmed_at"])
    return signature


def signature_for_withdrawal(campaign, token):
    return _signature_from_token(original_of(campaign), token, WITHDRAW_SALT)


def _locked_tally(original):
    CampaignTally.objects.get_or_create(campaign_id=original.pk)
    return CampaignTally.objects.select_for_update().get(campaign_id=original.pk)


@transaction.atomic
def do_withdraw(campaign, token):
    """The signer takes the signature back: the row is deleted (nothing of them is
    kept); a public one leaves the count and the live counter is told."""
    original = original_of(campaign)
    signature = signature_for_withdrawal(original, token)
    if signature.status == SignatureStatus.APPROVED:
        tally = _locked_tally(original)
        signature = Signature.objects.filter(pk=signature.pk).first()
        if signature is None:
            return None
        tally.approved_count = max(tally.approved_count - 1, 0)
        tally.last_seq += 1
        tally.save()
        send_event_on_commit(campaign_group(original.translation_key), {
            "type": "signatures.removed", "id": tally.last_seq,
            "count": tally.approved_count, "removed": [signature.seq],
        })
    signature.delete()
    return signature


# --- The editors' review ------------------------------------------------------------------


def can_review(user, campaign):
    """The site's editors, and whoever may edit the campaign's page (Wagtail's page
    permissions, e.g. its moderators)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if roles.has_role(user, roles.EDITORS):
        return True
    return original_of(campaign).permissions_for_user(user).can_edit()


def check_can_review(user, campaign):
    if not can_review(user, campaign):
        raise CampaignError(_("No tienes permiso para revisar las firmas de esta campaña."),
                            code="forbidden", status=403)


REVIEWABLE = {
    "approve": (SignatureStatus.CONFIRMED, SignatureStatus.REJECTED),
    "reject": (SignatureStatus.CONFIRMED, SignatureStatus.APPROVED),
}


def do_review(user, campaign, ids, decision):
    """Approve or reject the signatures ``ids`` of ``campaign``. Only confirmed ones
    (or a decision taken back) change; the others are left as they are. Returns the
    signatures changed. One transaction; the signers are told after commit, and the
    live counter gets one event for the whole batch."""
    if decision not in REVIEWABLE:
        raise CampaignError(_("Decisión desconocida."), code="bad_decision")
    check_can_review(user, campaign)
    original = original_of(campaign)
    if not isinstance(ids, list | tuple | set) or not ids:
        raise CampaignError(_("Elige al menos una firma."), code="no_selection")
    if len(ids) > 1000 or not all(isinstance(pk, int) for pk in ids):
        raise CampaignError(_("Selección no válida."), code="bad_selection")
    now = timezone.now()
    with transaction.atomic():
        tally = _locked_tally(original)
        changing = list(
            Signature.objects.for_campaign(original)
            .filter(pk__in=ids, status__in=REVIEWABLE[decision]).order_by("pk")
        )
        if not changing:
            return []
        added, removed = [], []
        for signature in changing:
            was_public = signature.status == SignatureStatus.APPROVED
            if decision == "approve":
                tally.last_seq += 1
                tally.approved_count += 1
                signature.status, signature.seq = SignatureStatus.APPROVED, tally.last_seq
                added.append(signature)
            else:
                if was_public:
                    tally.approved_count = max(tally.approved_count - 1, 0)
                    removed.append(signature.seq)
                signature.status = SignatureStatus.REJECTED
            signature.reviewed_at, signature.reviewed_by = now, user
        if removed:
            tally.last_seq += 1
        Signature.objects.bulk_update(changing, ["status", "seq", "reviewed_at", "reviewed_by"])
        tally.save()
        notify_reviewed(original, changing, tally, added, removed, decision)
    return changing


def notify_reviewed(original, changed, tally, added, removed, decision):
    from participation.campaigns import tasks

    group = campaign_group(original.translation_key)
    if added:
        send_event_on_commit(group, {
            "type": "signatures.added", "id": tally.last_seq, "count": tally.approved_count,
            "signatures": [signature_payload(s) for s in added],
        })
    if removed:
        send_event_on_commit(group, {
            "type": "signatures.removed", "id": tally.last_seq,
            "count": tally.approved_count, "removed": removed,
        })
    ids = [signature.pk for signature in changed]
    transaction.on_commit(
        lambda: [tasks.send_signature_email.enqueue(pk, decision, None) for pk in ids],
        robust=True,
    )


# --- Updates ------------------------------------------------------------------------------


def check_update(title, body):
    title = single_line(title) if isinstance(title, str) else ""
    body = body.strip() if isinstance(body, str) else ""
    if not title:
        raise CampaignError(_("Escribe un título."), code="required", field="title")
    if not body:
        raise CampaignError(_("Escribe el texto de la novedad."), code="required", field="body")
    for field, value in (("title", title), ("body", body)):
        if len(value) > UPDATE_MAX[field]:
            raise CampaignError(
                _("Como máximo %(max)s caracteres.") % {"max": UPDATE_MAX[field]},
                code="too_long", field=field,
            )
    return title, body


@transaction.atomic
def do_post_update(user, campaign, title, body, language=None):
    """Publish an update on the campaign; approved signatories get it by e-mail and
    members among them as a notification (after commit, through a task)."""
    check_can_review(user, campaign)
    title, body = check_update(title, body)
    original = original_of(campaign)
    recipients = Signature.objects.for_campaign(original).approved().count()
    update = CampaignUpdate.objects.create(
        campaign=original, title=title, body=body, author=user, recipients=recipients,
        language=(language or campaign.locale.language_code).split("-")[0],
    )
    notify_update(update)
    return update


def notify_update(update):
    from participation.campaigns import tasks

    pk = update.pk
    transaction.on_commit(lambda: tasks.send_campaign_update.enqueue(pk), robust=True)
