"""Signing, confirming, reviewing and withdrawing: the rules live in the services."""

import re
from datetime import timedelta
from unittest import mock
from urllib.parse import unquote

import pytest
from django.core import mail
from django.utils import timezone

from participation.campaigns import services
from participation.campaigns.models import CampaignTally, Signature, SignatureStatus
from tests import factories as people
from tests.participation.campaigns import factories


def test_a_signature_waits_for_the_email_then_for_an_editor(campaign, editor, run_on_commit,
                                                            mailoutbox):
    with run_on_commit():
        signature = services.do_sign(campaign, factories.signer(1))
    assert signature.status == SignatureStatus.PENDING
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["firma1@ejemplo.org"]
    token = unquote(re.search(r"/confirmar/\?clave=(\S+)", mailoutbox[0].body).group(1))
    assert services.do_confirm(campaign, token).status == SignatureStatus.CONFIRMED
    assert services.tally_of(campaign) == (0, 0)
    with run_on_commit():
        services.do_review(editor, campaign, [signature.pk], "approve")
    signature.refresh_from_db()
    assert signature.status == SignatureStatus.APPROVED and signature.seq == 1
    assert services.tally_of(campaign) == (1, 1)
    assert "ya aparece en la lista pública" in mailoutbox[-1].body


def test_a_member_with_a_verified_address_skips_the_email_link(campaign, learner):
    signature = services.do_sign(campaign, factories.signer(2, email=learner.email.upper()),
                                 user=learner)
    assert signature.status == SignatureStatus.CONFIRMED and signature.user == learner


@pytest.mark.parametrize("field, value, code", [
    ("email", "no-es-un-correo", "bad_email"),
    ("email", "a@b", "bad_email"),
    ("organisation", "x" * 201, "too_long"),
    ("city", "", "required"),
    ("signatory_type", "alcalde", "bad_type"),
    ("country", "ZZ", "bad_country"),
])
def test_bad_input_changes_nothing(campaign, field, value, code):
    with pytest.raises(services.CampaignError) as refused:
        services.do_sign(campaign, factories.signer(3, **{field: value}))
    assert refused.value.code == code and refused.value.field == field
    assert not Signature.objects.exists()


def test_one_signature_per_address_and_per_organisation(campaign):
    services.do_sign(campaign, factories.signer(4))
    for overrides in ({"organisation": "Otro"}, {"email": "otra@ejemplo.org",
                                                 "organisation": "MUNICIPIO 4"}):
        with pytest.raises(services.CampaignError) as refused:
            services.do_sign(campaign, factories.signer(4, **overrides))
        assert refused.value.code == "duplicate"
    # The same name in another country is another organisation.
    services.do_sign(campaign, factories.signer(4, email="ar@ejemplo.org", country="AR"))
    assert Signature.objects.count() == 2


def test_an_expired_link_is_refused_and_no_longer_blocks(campaign_index):
    campaign = factories.campaign(campaign_index, opens_at=timezone.now() - timedelta(days=9))
    old = timezone.now() - timedelta(days=4)
    stale = services.do_sign(campaign, factories.signer(5), now=old)
    with mock.patch("django.core.signing.time.time", return_value=old.timestamp()):
        token = services.confirmation_token(stale)
    with pytest.raises(services.CampaignError) as refused:
        services.do_confirm(campaign, token)
    assert refused.value.code == "expired"
    fresh = services.do_sign(campaign, factories.signer(5))
    assert fresh.pk != stale.pk and Signature.objects.count() == 1


def test_closed_and_future_campaigns_refuse(campaign_index):
    closed = factories.campaign(campaign_index, opens_at=timezone.now() - timedelta(days=9),
                                closes_at=timezone.now() - timedelta(days=1))
    future = factories.campaign(campaign_index, opens_at=timezone.now() + timedelta(days=1))
    for page, code in ((closed, "closed"), (future, "not_open")):
        with pytest.raises(services.CampaignError) as refused:
            services.do_sign(page, factories.signer(6))
        assert refused.value.code == code
    assert not Signature.objects.exists()


def test_bad_and_foreign_tokens(campaign, campaign_index):
    signature = services.do_sign(campaign, factories.signer(7))
    other = factories.campaign(campaign_index)
    token = services.confirmation_token(signature)
    for page, bad in ((campaign, token[:-2] + "xx"), (campaign, "nada"), (other, token),
                      (campaign, services.withdrawal_token(signature))):
        with pytest.raises(services.CampaignError):
            services.do_confirm(page, bad)
    assert Signature.objects.get().status == SignatureStatus.PENDING


def test_only_page_editors_review(campaign, learner, moderator):
    signature = factories.signature(campaign, status="confirmed")
    for person in (learner, people.expert()):
        with pytest.raises(services.CampaignError) as refused:
            services.do_review(person, campaign, [signature.pk], "approve")
        assert refused.value.status == 403
    signature.refresh_from_db()
    assert signature.status == SignatureStatus.CONFIRMED
    # Wagtail's moderators may edit (and publish) pages: they review too.
    assert services.do_review(moderator, campaign, [signature.pk], "approve")


def test_review_counts_each_signature_once(campaign, editor):
    signatures = [factories.signature(campaign, status="confirmed") for _ in range(3)]
    pending = factories.signature(campaign, status="pending")
    ids = [s.pk for s in signatures] + [pending.pk]
    assert len(services.do_review(editor, campaign, ids, "approve")) == 3
    assert services.do_review(editor, campaign, ids, "approve") == []  # again: nothing
    assert services.tally_of(campaign) == (3, 3)
    services.do_review(editor, campaign, [signatures[0].pk], "reject")
    assert services.tally_of(campaign) == (2, 4)
    assert Signature.objects.get(pk=pending.pk).status == SignatureStatus.PENDING
    with pytest.raises(services.CampaignError):
        services.do_review(editor, campaign, ["1"], "approve")
    with pytest.raises(services.CampaignError):
        services.do_review(editor, campaign, ids, "publish")


def test_withdrawal_deletes_and_uncounts(campaign, editor):
    signature = factories.signature(campaign, reviewer=editor)
    assert services.tally_of(campaign) == (1, 1)
    services.do_withdraw(campaign, services.withdrawal_token(signature))
    assert not Signature.objects.exists()
    assert CampaignTally.objects.get(campaign=campaign).approved_count == 0
    with pytest.raises(services.CampaignError) as refused:
        services.do_withdraw(campaign, services.withdrawal_token(signature))
    assert refused.value.code == "unknown"


def test_an_update_reaches_approved_signatories_and_members(campaign, editor, learner,
                                                           run_on_commit):
    from allas_site.notifications.models import Notification

    member = services.do_sign(campaign, factories.signer(8, email=learner.email), user=learner)
    services.do_review(editor, campaign, [member.pk], "approve")
    factories.signature(campaign, reviewer=editor)
    factories.signature(campaign, status="confirmed")  # not public: not told
    mail.outbox.clear()
    with run_on_commit():
        update = services.do_post_update(editor, campaign, "Entregamos las firmas",
                                         "Las llevamos a la cumbre.")
    assert update.recipients == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [learner.email, Signature.objects.exclude(user=learner).approved().get().email]
    )
    assert all("Las llevamos a la cumbre." in m.body and "retirar/" in m.body
               for m in mail.outbox)
    notification = Notification.objects.get(recipient=learner)
    assert "Entregamos las firmas" in notification.title
    with pytest.raises(services.CampaignError):
        services.do_post_update(learner, campaign, "x", "y")
    with pytest.raises(services.CampaignError) as refused:
        services.do_post_update(editor, campaign, "x", "y" * 5001)
    assert refused.value.field == "body"


def test_a_members_data_export_holds_their_signatures_only(campaign, learner):
    from allas_site.accounts.services import export_user_data

    services.do_sign(campaign, factories.signer(9, email=learner.email), user=learner)
    services.do_sign(campaign, factories.signer(10))  # someone else's
    exported = export_user_data(learner)["campaign_signatures"]
    assert [row["organisation"] for row in exported] == ["Municipio 9"]


def test_the_sites_editors_review_even_without_page_permissions(campaign, editor, learner):
    """A flushed test database (or a site whose Wagtail groups were changed) keeps the
    Editors role but not its page permissions: the demo's editor still reviews."""
    from wagtail.models import GroupPagePermission

    GroupPagePermission.objects.all().delete()
    assert services.can_review(editor, campaign)
    assert not services.can_review(learner, campaign)
    with pytest.raises(services.CampaignError) as refused:
        services.check_can_review(learner, campaign)
    assert refused.value.status == 403
