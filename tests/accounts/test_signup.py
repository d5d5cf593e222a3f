import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

User = get_user_model()
STRONG = "Ciudades-al-mundo-2026"


def signup(client, **overrides):
    data = {
        "display_name": "Ana Gómez",
        "email": "ana@municipio.example",
        "password1": STRONG,
        "password2": STRONG,
        "accept_privacy": "on",
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


def confirmation_path(message):
    match = re.search(r"https?://[^/\s]+(/\S*/confirm-email/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_sends_confirmation_and_keeps_user_out_until_confirmed(client):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="ana@municipio.example")
    assert user.display_name == "Ana Gómez"
    assert not user.groups.filter(name="Learners").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@municipio.example"]
    # Mandatory confirmation: logging in before confirming does not give a session.
    client.logout()
    client.post(reverse("account_login"), {"login": user.email, "password": STRONG})
    assert "_auth_user_id" not in client.session


def test_confirming_the_email_logs_in_and_makes_a_learner(client):
    signup(client)
    path = confirmation_path(mail.outbox[0])
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    user = User.objects.get(email="ana@municipio.example")
    assert EmailAddress.objects.get(user=user).verified
    assert user.groups.filter(name="Learners").exists()
    assert client.session["_auth_user_id"] == str(user.pk)


def test_bad_confirmation_link_says_so_and_changes_nothing(client):
    signup(client)
    response = client.get("/cuentas/confirm-email/not-a-real-key/")
    assert response.status_code == 200
    assert "ha caducado o no es válido" in response.content.decode()
    response = client.post("/cuentas/confirm-email/not-a-real-key/")
    assert not EmailAddress.objects.filter(verified=True).exists()


def test_expired_confirmation_link_is_refused(client, settings):
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 0
    signup(client)
    path = confirmation_path(mail.outbox[0])
    client.post(path)
    assert not EmailAddress.objects.filter(verified=True).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password2": "otra-cosa-2026"}, "password2", "misma contraseña"),
        ({"email": "no-es-un-correo"}, "email", "válid"),
        ({"accept_privacy": ""}, "accept_privacy", "consentimiento"),
        ({"display_name": ""}, "display_name", "necesario"),
        ({"password1": "123", "password2": "123"}, "password1", "demasiado corta"),
    ],
)
def test_signup_errors_are_shown_and_nothing_is_created(client, overrides, field, message):
    response = signup(client, **overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not User.objects.exists()
    assert mail.outbox == []


def test_signup_with_a_taken_email_creates_nothing_and_reveals_nothing(client, learner):
    # allauth prevents account enumeration: the form looks successful, no second
    # account is made, and the owner of the address is told by e-mail instead.
    response = signup(client, email=learner.email.upper())
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [learner.email]


def test_login_page_and_password_reset_flow(client, learner):
    from tests.factories import PASSWORD

    response = client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session

    client.post(reverse("account_reset_password"), {"email": learner.email})
    assert len(mail.outbox) == 1
    match = re.search(r"https?://[^/\s]+(/\S*/password/reset/key/\S+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    follow = client.get(match.group(1), follow=True)
    assert follow.status_code == 200
    form_url = follow.redirect_chain[-1][0] if follow.redirect_chain else match.group(1)
    new_password = "Nueva-contraseña-segura-99"
    done = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(new_password)


def test_wrong_password_gives_a_form_error(client, learner):
    response = client.post(reverse("account_login"), {"login": learner.email, "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session
