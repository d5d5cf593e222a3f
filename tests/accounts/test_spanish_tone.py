"""The campus addresses its reader as "tú": allauth's pages, flash messages and e-mails
in Spanish too (site/locale/es overrides allauth's "usted" catalogue)."""

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from django.utils.translation.reloader import translation_file_changed

from tests.accounts.test_signup import STRONG, confirmation_path, signup

pytestmark = pytest.mark.django_db

# Forms of "usted" (and its imperatives) that allauth's and Django's Spanish catalogues
# use; none may reach a reader.
USTED = re.compile(
    r"\b(usted|confirme|ha iniciado sesión|ha cerrado sesión|su contraseña|su cuenta|"
    r"su correo|su dirección|sus códigos|introduzca|ingrese|haga clic|desea|"
    r"está recibiendo|verifique|escriba|utilice|inténtelo|ha olvidado su|regístrese|"
    r"inicie sesión|compruebe|póngase|asegúrese|por favor)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogues():
    output = io.StringIO()
    call_command("compile_translations", stdout=output)
    if not output.getvalue().startswith("0 "):
        translation_file_changed(None, Path("django.mo"))


@pytest.fixture(autouse=True)
def _spanish():
    with translation.override("es"):
        yield


def visible_text(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def assert_tu(text, where):
    found = [match.group(0) for match in USTED.finditer(text)]
    assert found == [], f"{where}: {found}"


def test_entrance_pages_say_tu(client, home_page):
    pages = {
        "/cuentas/login/": "¿Has olvidado tu contraseña?",
        "/cuentas/signup/": "Tu contraseña no puede tener solo números.",
        "/cuentas/password/reset/": "¿Has olvidado tu contraseña? Escribe tu dirección",
        "/cuentas/password/reset/done/": "Te hemos enviado un correo electrónico.",
        "/cuentas/password/reset/key/1-nada/": "Pide uno nuevo",
    }
    for url, expected in pages.items():
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        text = visible_text(response)
        assert expected in text, url
        assert_tu(text, url)


def test_form_errors_say_tu(client, home_page, learner):
    text = visible_text(signup(client, email="no-es-un-correo", password2="otra-cosa-2026"))
    assert "Introduce una dirección de correo electrónico válida." in text
    assert "Debes escribir la misma contraseña las dos veces." in text
    assert_tu(text, "signup errors")
    text = visible_text(client.post("/cuentas/login/", {"login": learner.email,
                                                        "password": "no-es-esta"}))
    assert "El correo electrónico o la contraseña que has indicado no son correctos." in text
    assert_tu(text, "login error")


def test_member_pages_and_flash_messages_say_tu(client, home_page, learner):
    learner.set_password(STRONG)
    learner.save()
    response = client.post("/cuentas/login/", {"login": learner.email, "password": STRONG},
                           follow=True)
    text = visible_text(response)
    assert "Has iniciado sesión como " in text
    assert_tu(text, "after login")
    for url in ("/cuentas/email/", "/cuentas/password/change/", "/cuentas/logout/",
                "/cuentas/2fa/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_tu(visible_text(response), url)
    assert "¿Seguro que quieres cerrar sesión?" in visible_text(client.get("/cuentas/logout/"))
    text = visible_text(client.post("/cuentas/password/change/",
                                    {"oldpassword": "no", "password1": "1", "password2": "2"}))
    assert "Escribe tu contraseña actual." in text
    assert_tu(text, "password change errors")
    text = visible_text(client.post("/cuentas/logout/", follow=True))
    assert "Has cerrado sesión." in text
    assert_tu(text, "after logout")


def test_confirmation_page_and_emails_say_tu(client, home_page, learner):
    signup(client)
    confirmation = mail.outbox[-1]
    assert confirmation.subject.endswith("Confirma tu dirección de correo electrónico")
    text = visible_text(client.get(confirmation_path(confirmation)))
    assert "Confirma que" in text
    assert_tu(text, "confirmation page")
    client.logout()
    signup(client, email=learner.email)  # an address that already has an account
    client.post("/cuentas/password/reset/", {"email": learner.email})
    client.post("/cuentas/password/reset/", {"email": "nadie@municipio.example"})
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert message.body.startswith("¡Hola desde AL-LAs Campus!"), message.subject
        assert_tu(f"{message.subject}\n{message.body}", message.subject)
    bodies = "\n".join(message.body for message in mail.outbox)
    assert "Para confirmarlo, abre este enlace:" in bodies
    assert "Recibes este correo electrónico porque tú u otra persona ha pedido" in bodies
    assert "Si has sido tú, puedes crear una cuenta con el enlace de abajo." in bodies
