"""The interface in Spanish (source strings, no prefix) and in English, French and
Portuguese (/en/ /fr/ /pt/), and the health of the catalogues in site/locale."""

import io
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation.reloader import translation_file_changed

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
REPO_ROOT = Path(settings.BASE_DIR)
LANGUAGES = ("en", "fr", "pt")
PO_FILES = {code: LOCALE_DIR / code / "LC_MESSAGES" / "django.po" for code in LANGUAGES}

# (prefix, lang attribute, skip link, a footer sentence, the "Courses" menu entry)
HOMES = [
    ("/", "es", "Saltar al contenido", "Con el apoyo de la Unión Europea.", "Cursos"),
    ("/en/", "en", "Skip to content", "With the support of the European Union.", "Courses"),
    ("/fr/", "fr", "Aller au contenu", "Avec le soutien de l’Union européenne.", "Cours"),
    ("/pt/", "pt", "Ir para o conteúdo", "Com o apoio da União Europeia.", "Cursos"),
]


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogues():
    """Compile the .po files (a no-op when the .mo files are up to date, as after
    ``make translations``) and make Django reload them if anything was compiled."""
    output = io.StringIO()
    call_command("compile_translations", stdout=output)
    if not output.getvalue().startswith("0 "):
        translation_file_changed(None, Path("django.mo"))


def text_of(response):
    """The page's HTML with entities decoded enough for plain-text assertions."""
    return response.content.decode().replace("&#x27;", "’").replace("&amp;", "&")


def field_errors(html):
    return [
        re.sub(r"<[^>]+>", " ", block).strip()
        for block in re.findall(r'<ul class="field__errors"[^>]*>(.*?)</ul>', html, re.S)
    ]


# --- Pages -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "lang", "skip_link", "footer", "courses"), HOMES)
def test_home_answers_in_its_language(client, home_page, prefix, lang, skip_link, footer, courses):
    response = client.get(prefix)
    assert response.status_code == 200
    html = text_of(response)
    assert f'<html lang="{lang}">' in html
    assert f">{skip_link}</a>" in html
    assert footer in html
    assert f">{courses}</a>" in html


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["/en/", "/fr/", "/pt/"])
def test_no_spanish_interface_string_on_translated_home(client, home_page, prefix):
    html = text_of(client.get(prefix))
    for spanish in ("Saltar al contenido", "Buscar en el campus", "Crear cuenta", "Pie de página"):
        assert spanish not in html


@pytest.mark.django_db
def test_language_switcher_on_english_home_links_to_the_other_homes(client, home_page):
    html = text_of(client.get("/en/"))
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert '<span aria-current="true" lang="en" title="English">EN</span>' in switcher
    for url, code, name in (
        ("/", "es", "Español"),
        ("/fr/", "fr", "Français"),
        ("/pt/", "pt", "Português"),
    ):
        assert f'<a href="{url}" hreflang="{code}" lang="{code}" title="{name}">' in switcher
        # Each language is named in itself, whatever the page's language.
        assert f'<span class="visually-hidden">{name}</span>' in switcher


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "lang", "title", "button"),
    [
        ("/en/", "en", "Page not found", "Back to the home page"),
        ("/fr/", "fr", "Page introuvable", "Retour à l’accueil"),
        ("/pt/", "pt", "Página não encontrada", "Voltar ao início"),
    ],
)
def test_not_found_page_is_translated(client, home_page, prefix, lang, title, button):
    response = client.get(f"{prefix}no-existe-esta-pagina/")
    assert response.status_code == 404
    html = text_of(response)
    assert f'<html lang="{lang}">' in html
    assert title in html
    assert f'href="{prefix}">{button}</a>' in html


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("es", "Algo salió mal"),
        ("en", "Something went wrong"),
        ("fr", "Un problème est survenu"),
        ("pt", "Ocorreu um erro"),
    ],
)
def test_server_error_page_is_translated(lang, heading):
    with translation.override(lang):
        html = render_to_string("500.html")
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{heading}</h1>" in html


# --- Accounts (allauth + the project's own fields) ------------------------------------------


@pytest.mark.django_db
def test_signup_page_in_english_mixes_no_spanish(client, home_page):
    response = client.get("/en/cuentas/signup/")
    assert response.status_code == 200
    html = text_of(response)
    assert '<html lang="en">' in html
    assert "Display name" in html  # the project's field
    assert "Password (again)" in html  # allauth's field
    assert "I have read and accept the privacy notice" in html
    assert "Contraseña" not in html and "Nombre público" not in html


@pytest.mark.django_db
def test_login_page_in_french(client, home_page):
    response = client.get("/fr/cuentas/login/")
    assert response.status_code == 200
    html = text_of(response)
    assert '<html lang="fr">' in html
    assert "Mot de passe" in html  # allauth
    assert ">Se connecter</a>" in html and ">Créer un compte</a>" in html  # header
    assert "Aller au contenu" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "required", "consent"),
    [
        ("/en/", "This field is required.", "We need your consent to create the account."),
        ("/fr/", "Champ requis.", "Nous avons besoin de votre consentement pour créer le compte."),
        (
            "/pt/",
            "Este campo é obrigatório.",
            "Precisamos do seu consentimento para criar a conta.",
        ),
    ],
)
def test_empty_signup_shows_field_errors_in_the_page_language(
    client, home_page, prefix, required, consent
):
    response = client.post(f"{prefix}cuentas/signup/", {})
    assert response.status_code == 200
    errors = field_errors(text_of(response))
    assert errors, "the form should be re-displayed with field errors"
    assert required in errors
    assert consent in errors
    assert "Este campo es necesario." not in errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "too_short"),
    [
        ("/en/", "This password is too short. It must contain at least 8 characters."),
        ("/fr/", "Ce mot de passe est trop court. Il doit contenir au minimum 8 caractères."),
        # Django's own "pt" catalogue lacks this one; site/core/i18n_fallbacks.py fills it.
        ("/pt/", "Esta palavra-passe é muito curta. Deve conter pelo menos 8 caracteres."),
    ],
)
def test_weak_password_error_is_not_in_spanish(client, home_page, prefix, too_short):
    data = {
        "display_name": "Ana",
        "email": "ana@municipio.example",
        "password1": "1234",
        "password2": "1234",
        "accept_privacy": "on",
    }
    html = text_of(client.post(f"{prefix}cuentas/signup/", data))
    assert too_short in html
    assert "La contraseña es demasiado corta" not in html


@pytest.mark.django_db
def test_wagtail_userbar_follows_the_page_language(client, home_page, superuser):
    client.force_login(superuser)
    assert "Mostrar no Explorador" in text_of(client.get("/pt/"))
    assert "Montrer dans l’explorateur" in text_of(client.get("/fr/"))
    assert "Show in Explorer" in text_of(client.get("/en/"))


# --- Catalogues ---------------------------------------------------------------------------------


def read_catalogue(code):
    with PO_FILES[code].open("rb") as po_file:
        return read_po(po_file, locale=code)


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_is_complete_and_clean(code):
    catalogue = read_catalogue(code)
    assert not catalogue.fuzzy, "the header must not be marked fuzzy"
    assert str(catalogue.locale) == code
    messages = [message for message in catalogue if message.id]
    assert len(messages) > 100
    untranslated = [
        message.id
        for message in messages
        if not all(message.string if message.pluralizable else [message.string])
    ]
    assert untranslated == []
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert fuzzy == []
    problems = [(message.id, errors) for message, errors in catalogue.check()]
    assert problems == []  # placeholders and plural forms match the source


@pytest.mark.parametrize("code", LANGUAGES)
def test_placeholders_are_kept(code):
    placeholder = re.compile(r"%(?:\(\w+\))?[sd]")
    for message in read_catalogue(code):
        if not message.id:
            continue
        ids = message.id if message.pluralizable else (message.id,)
        strings = message.string if message.pluralizable else (message.string,)
        expected = sorted(placeholder.findall(ids[-1]))
        for string in strings:
            assert sorted(placeholder.findall(string)) == expected, (message.id, string)


def test_catalogues_share_the_same_messages():
    keys = {
        code: {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_catalogue(code)}
        for code in LANGUAGES
    }
    assert keys["en"] == keys["fr"] == keys["pt"]


@pytest.mark.skipif(not shutil.which("xgettext"), reason="makemessages needs GNU gettext")
def test_catalogues_are_up_to_date_with_the_sources(tmp_path, settings, monkeypatch):
    """Re-extract into a copy of the sources: every marked string is in the catalogues
    and the catalogues hold nothing else."""
    copy = tmp_path / "checkout"
    ignore = shutil.ignore_patterns("static", "locale", "__pycache__", "*.pyc")
    for name in ("site", "courses", "community", "webinars", "search"):
        if (REPO_ROOT / name).is_dir():
            shutil.copytree(REPO_ROOT / name, copy / name, ignore=ignore)
    (copy / "site" / "locale").mkdir()
    settings.LOCALE_PATHS = [copy / "site" / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=list(LANGUAGES), no_obsolete=True, verbosity=0)
    with (copy / "site" / "locale" / "en" / "LC_MESSAGES" / "django.po").open("rb") as po_file:
        fresh = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(po_file) if m.id}
    current = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_catalogue("en") if m.id}
    assert fresh - current == set(), "new strings: run makemessages and translate them"
    assert current - fresh == set(), "stale strings: run makemessages --no-obsolete"
