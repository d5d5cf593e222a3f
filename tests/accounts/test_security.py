"""Password change, e-mail change and optional two-factor authentication."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time as counters
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client, user, password=PASSWORD):
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302
    return response


def current_code(secret):
    window = list(counters())
    return format_hotp_value(hotp_value(secret, window[len(window) // 2]))


def test_password_change(client, learner):
    log_in(client, learner)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "Otra-clave-muy-segura-7",
            "password2": "Otra-clave-muy-segura-7",
        },
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password("Otra-clave-muy-segura-7")


def test_password_change_with_wrong_old_password_changes_nothing(client, learner):
    log_in(client, learner)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "mal",
            "password1": "Otra-clave-muy-segura-7",
            "password2": "Otra-clave-muy-segura-7",
        },
    )
    assert response.status_code == 200
    assert "oldpassword" in response.context["form"].errors
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)


def test_email_change_needs_confirmation_of_the_new_address(client, learner):
    log_in(client, learner)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "nueva@ciudad.example"}
    )
    assert response.status_code == 302
    assert EmailAddress.objects.filter(email="nueva@ciudad.example", verified=False).exists()
    learner.refresh_from_db()
    assert learner.email != "nueva@ciudad.example"  # not until confirmed
    path = re.search(r"https?://[^/\s]+(/\S*/confirm-email/[^/\s]+/)", mail.outbox[-1].body).group(
        1
    )
    client.post(path)
    learner.refresh_from_db()
    assert learner.email == "nueva@ciudad.example"


def test_totp_two_factor_can_be_activated_and_is_then_required(client, learner):
    log_in(client, learner)
    activate = reverse("mfa_activate_totp")
    page = client.get(activate, follow=True)
    if page.redirect_chain:  # sensitive: allauth asks for the password again first
        assert "reauthenticate" in page.redirect_chain[-1][0]
        client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        page = client.get(activate)
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]

    wrong = client.post(
        activate, {"code": "000000" if current_code(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert not Authenticator.objects.filter(user=learner).exists()

    response = client.post(activate, {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=learner, type=Authenticator.Type.TOTP).exists()

    client.post(reverse("account_logout"))
    response = log_in(client, learner)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_login_is_rate_limited(client, learner, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,3/m/key"}
    for _ in range(3):
        client.post(reverse("account_login"), {"login": learner.email, "password": "mal"})
    response = client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in {200, 429}
