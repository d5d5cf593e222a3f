"""The front door in a real browser: the home page, then signing up, confirming the
e-mail, signing out and in again, all through the forms a person would use."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from allas_site.accounts import roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISPLAY_NAME = "Valentina Acosta"
EMAIL = "valentina.acosta@municipio.example"
PASSWORD = "Ciudades-al-Mundo-2026!"


def expect():
    # Imported lazily so that collection works (and the tests skip) without Playwright.
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def header(page):
    return page.locator("header.site-header")


def nav_hrefs(page):
    return page.locator("nav.main-nav a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )


def signup_form(page):
    return page.locator("main form").filter(has=page.locator("input[name=password2]"))


def fill_signup(page, *, password2=PASSWORD):
    form = signup_form(page)
    form.get_by_label("Nombre público").fill(DISPLAY_NAME)
    form.locator("input[name=email]").fill(EMAIL)
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(password2)
    form.get_by_label("He leído y acepto el aviso de privacidad").check()
    form.get_by_role("button", name="Registrarse").click()


def open_signup_from_header(page):
    page.goto("/")
    header(page).get_by_role("link", name="Crear cuenta").click()
    page.wait_for_url("**/cuentas/signup/")
    expect()(signup_form(page)).to_be_visible()


def test_home_page(page, campus_home, screenshot_dir):
    check = expect()
    page.goto("/")

    check(page).to_have_title("Inicio · AL-LAs Campus")
    check(page.locator("html")).to_have_attribute("lang", "es")
    check(page.locator("h1")).to_have_count(1)
    check(page.locator("h1")).to_have_text(campus_home.hero_title)
    check(page.locator("h1")).to_be_visible()

    main_nav = page.get_by_role("navigation", name="Principal")
    check(main_nav).to_be_visible()
    check(main_nav.get_by_role("link", name="Cursos")).to_have_attribute("href", "/cursos/")
    spanish_nav = nav_hrefs(page)
    assert len(spanish_nav) >= 3, spanish_nav

    switcher = page.locator("nav.language-switcher")
    check(switcher).to_be_visible()
    check(switcher.locator("[aria-current=true]")).to_have_text("ES")
    check(switcher.locator("a[hreflang]")).to_have_count(3)

    page.screenshot(path=str(screenshot_dir / "home.png"), full_page=True)

    switcher.locator("a[hreflang=en]").click()
    page.wait_for_url("**/en/")
    check(page.locator("html")).to_have_attribute("lang", "en")
    check(page.locator("h1")).to_have_count(1)
    check(page.locator("h1")).to_have_text(
        "Cities to the world: learning together to go international"
    )
    check(page.locator("nav.language-switcher [aria-current=true]")).to_have_text("EN")
    # The header's links follow the language.
    assert nav_hrefs(page) == [f"/en{href}" for href in spanish_nav]
    check(page.locator("nav.language-switcher a[hreflang=es]")).to_have_attribute("href", "/")

    page.screenshot(path=str(screenshot_dir / "home-en.png"), full_page=True)
    assert page.js_errors == []


def test_signup_confirm_logout_login(page, campus_home, live_server, mailoutbox):
    check = expect()
    User = get_user_model()

    # Sign up through the form linked from the header.
    open_signup_from_header(page)
    fill_signup(page)

    # allauth's "verification sent" page asks the person to check their e-mail.
    page.wait_for_url("**/cuentas/confirm-email/")
    check(page.locator("h1")).to_have_text("Verifica tu dirección de correo electrónico")
    check(header(page).get_by_role("link", name="Crear cuenta")).to_be_visible()

    user = User.objects.get(email=EMAIL)
    assert user.display_name == DISPLAY_NAME
    assert not EmailAddress.objects.get(user=user, email=EMAIL).verified
    assert not user.groups.filter(name=roles.LEARNERS).exists()

    # The live server runs in a thread of this process: its locmem outbox is ours.
    assert len(mailoutbox) == 1, [message.subject for message in mailoutbox]
    message = mailoutbox[0]
    assert message.to == [EMAIL]
    assert message.subject.startswith("[AL-LAs Campus] ")
    links = re.findall(r"https?://\S+/cuentas/confirm-email/[^/\s]+/", message.body)
    assert len(links) == 1, message.body
    confirm_url = links[0]
    assert confirm_url.startswith(f"{live_server.url}/cuentas/confirm-email/")

    # Opening the link shows a confirmation form (ACCOUNT_CONFIRM_EMAIL_ON_GET is off).
    page.goto(confirm_url)
    check(page.locator("h1")).to_have_text("Confirmar dirección de correo electrónico")
    check(page.locator("main")).to_contain_text(EMAIL)
    assert not EmailAddress.objects.get(user=user, email=EMAIL).verified
    page.locator("main").get_by_role("button", name="Confirmar").click()

    # Confirming signs the person in and lands on their profile.
    page.wait_for_url("**/cuentas/perfil/")
    check(page.locator("h1")).to_have_text(DISPLAY_NAME)
    account_menu = header(page).locator("details.dropdown")
    check(account_menu.locator("summary")).to_contain_text(DISPLAY_NAME)
    check(header(page).get_by_role("link", name="Crear cuenta")).to_have_count(0)

    assert EmailAddress.objects.get(user=user, email=EMAIL).verified
    assert list(user.groups.values_list("name", flat=True)) == [roles.LEARNERS]

    # Sign out through the account menu's form.
    account_menu.locator("summary").click()
    logout_button = account_menu.get_by_role("button", name="Cerrar sesión")
    check(logout_button).to_be_visible()
    logout_button.click()
    page.wait_for_url(f"{live_server.url}/")
    check(header(page).get_by_role("link", name="Entrar")).to_be_visible()
    check(header(page).locator("details.dropdown")).to_have_count(0)

    # The profile now needs a login again.
    page.goto("/cuentas/perfil/")
    page.wait_for_url(re.compile(r"/cuentas/login/\?next="))

    # Sign in through the login form linked from the header.
    page.goto("/")
    header(page).get_by_role("link", name="Entrar").click()
    page.wait_for_url("**/cuentas/login/")
    login_form = page.locator("main form").filter(has=page.locator("input[name=password]"))
    login_form.locator("input[name=login]").fill(EMAIL)
    login_form.locator("input[name=password]").fill(PASSWORD)
    login_form.get_by_role("button", name="Iniciar sesión").click()

    page.wait_for_url("**/cuentas/perfil/")
    check(page.locator("h1")).to_have_text(DISPLAY_NAME)
    check(header(page).locator("details.dropdown summary")).to_contain_text(DISPLAY_NAME)
    assert page.js_errors == []


def test_signup_with_mismatched_passwords(page, campus_home, mailoutbox):
    check = expect()
    open_signup_from_header(page)
    fill_signup(page, password2=PASSWORD + "x")

    # The form comes back with the error on the second password, nothing is created.
    page.wait_for_load_state()
    assert page.url.endswith("/cuentas/signup/")
    password2 = signup_form(page).locator("input[name=password2]")
    check(password2).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_password2_error")
    check(error).to_be_visible()
    check(error).to_have_text("Debes escribir la misma contraseña las dos veces.")
    check(password2).to_have_attribute("aria-describedby", re.compile(r"id_password2_error"))
    # What the person typed is kept, except the passwords.
    check(signup_form(page).get_by_label("Nombre público")).to_have_value(DISPLAY_NAME)
    check(signup_form(page).locator("input[name=email]")).to_have_value(EMAIL)

    assert not get_user_model().objects.exists()
    assert not EmailAddress.objects.exists()
    assert mailoutbox == []
    assert page.js_errors == []
