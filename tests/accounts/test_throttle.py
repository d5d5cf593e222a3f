"""Failed log-ins throttle the guesser, not the account's owner; sign-up costs the same
whether or not the e-mail has an account."""

import pytest
from django.core import mail
from django.urls import reverse

from allas_site.accounts.models import User
from tests.accounts import hashers
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


def log_in(client, user, password, address):
    client.post(
        reverse("account_login"), {"login": user.email, "password": password}, REMOTE_ADDR=address
    )
    return client.session.get("_auth_user_id") == str(user.pk)


def test_guessing_throttles_the_guesser_not_the_owner(client_factory, learner):
    attacker = client_factory()
    for _ in range(5):
        assert not log_in(attacker, learner, "adivina-2026", ATTACKER)
    # The guesser is held back even with the right password...
    assert not log_in(attacker, learner, PASSWORD, ATTACKER)
    # ...while the owner, from their own address, logs in at once.
    assert log_in(client_factory(), learner, PASSWORD, OWNER)


def test_the_guesser_is_told_why(client, learner):
    for _ in range(5):
        log_in(client, learner, "adivina-2026", ATTACKER)
    response = client.post(
        reverse("account_login"),
        {"login": learner.email, "password": "adivina-2026"},
        REMOTE_ADDR=ATTACKER,
    )
    assert response.status_code in {200, 429}
    assert "intentos" in response.content.decode().lower()


def test_one_address_cannot_spray_many_accounts(client, settings):
    users = [User.objects.create_user(email=f"s{n}@example.org", password=PASSWORD)
             for n in range(11)]
    for user in users[:10]:
        log_in(client, user, "adivina-2026", ATTACKER)
    # The eleventh account in the same minute is refused before the password is checked.
    assert not log_in(client, users[10], PASSWORD, ATTACKER)


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.hashers.CountingHasher"]
    hashers.ENCODED.clear()
    return hashers.ENCODED


def sign_up(client, email):
    return client.post(
        reverse("account_signup"),
        {
            "display_name": "Ana O’Brien",
            "email": email,
            "password1": "Intern4cionaliz4r!",
            "password2": "Intern4cionaliz4r!",
            "accept_privacy": "on",
        },
    )


def test_sign_up_hashes_a_password_whether_or_not_the_account_exists(
    client, learner, counting_hasher
):
    new = sign_up(client, "nueva@example.org")
    hashed_for_new = list(counting_hasher)
    counting_hasher.clear()
    existing = sign_up(client, learner.email)
    assert hashed_for_new == ["Intern4cionaliz4r!"]
    assert counting_hasher == ["Intern4cionaliz4r!"]
    # Both answers look alike: the same redirect, and one e-mail each.
    assert new.status_code == existing.status_code == 302
    assert new["Location"] == existing["Location"]
    assert len(mail.outbox) == 2
    assert User.objects.filter(email=learner.email).count() == 1
