"""The editors' side in the Wagtail admin: review in bulk, export, post an update."""

import csv
import io

from django.core import mail
from django.urls import reverse

from participation.campaigns import services
from participation.campaigns.models import CampaignUpdate, Signature, SignatureStatus
from tests.participation.campaigns import factories


def test_an_editor_approves_from_the_admin_and_the_signer_is_told(client, campaign, editor,
                                                                 run_on_commit):
    waiting = [factories.signature(campaign, status="confirmed") for _ in range(2)]
    url = reverse("campaigns_admin:signatures", args=[campaign.pk])
    client.force_login(editor)
    page = client.get(url)
    assert page.status_code == 200
    assert waiting[0].organisation in page.content.decode()
    mail.outbox.clear()
    with run_on_commit():
        response = client.post(url + "?estado=confirmed",
                               {"decision": "approve", "ids": [str(waiting[0].pk)]})
    assert response.status_code == 302
    assert Signature.objects.get(pk=waiting[0].pk).status == SignatureStatus.APPROVED
    assert Signature.objects.get(pk=waiting[1].pk).status == SignatureStatus.CONFIRMED
    assert [m.to for m in mail.outbox] == [[waiting[0].email]]
    assert services.tally_of(campaign)[0] == 1
    # Garbage in the form: a message, nothing changed.
    client.post(url, {"decision": "approve", "ids": ["x"]})
    client.post(url, {"decision": "publicar", "ids": [str(waiting[1].pk)]})
    assert Signature.objects.get(pk=waiting[1].pk).status == SignatureStatus.CONFIRMED


def test_people_who_may_not_edit_the_campaign_are_refused(client, campaign, learner):
    signature = factories.signature(campaign, status="confirmed")
    url = reverse("campaigns_admin:signatures", args=[campaign.pk])
    assert client.get(url).status_code == 302  # to the admin's log-in
    client.force_login(learner)
    assert client.post(url, {"decision": "approve", "ids": [str(signature.pk)]}).status_code in (
        302, 403)
    assert Signature.objects.get().status == SignatureStatus.CONFIRMED
    assert client.get(reverse("campaigns_admin:signatures", args=[999999])).status_code in (
        302, 404)


def test_the_export_is_formula_safe(client, campaign, editor):
    factories.signature(campaign, reviewer=editor, organisation="=HYPERLINK(\"http://x\")",
                        representative_role="+Alcaldía")
    client.force_login(editor)
    url = reverse("campaigns_admin:signatures", args=[campaign.pk])
    response = client.get(url, {"estado": "todas", "exportar": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(\"http://x\")" and rows[1][5] == "'+Alcaldía"
    assert "firma" in rows[1][6]  # the e-mail is for editors
    xlsx = client.get(url, {"estado": "todas", "exportar": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_posting_an_update_from_the_admin(client, campaign, editor, run_on_commit):
    factories.signature(campaign, reviewer=editor)
    client.force_login(editor)
    url = reverse("campaigns_admin:update", args=[campaign.pk])
    assert client.post(url, {"title": "", "body": "x"}).status_code == 400
    mail.outbox.clear()
    with run_on_commit():
        response = client.post(url, {"title": "Llevamos las firmas a Quito", "body": "Hola."})
    assert response.status_code == 302
    assert CampaignUpdate.objects.get().recipients == 1 and len(mail.outbox) == 1
    page = client.get(f"/campanas/{campaign.slug}/").content.decode()
    assert "Llevamos las firmas a Quito" in page
