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
    for name in ("site", "courses", "community", "webinars", "search", "participation"):
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


# --- JavaScript: every word it shows comes from the templates --------------------------
# The scripts take their labels from data-*-label attributes rendered with {% translate %}
# (no extra request, and one catalogue); a natural-language string literal in a script
# is a string no translator ever sees.

JS_DIR = REPO_ROOT / "site" / "static" / "js"
TEMPLATES_DIR = REPO_ROOT / "site" / "templates"
# Literals that look like words but are code: the strict-mode directive, key names.
JS_NOT_WORDS = {"use strict", "Accept", "Enter", "Escape", "Tab"}
WORDS = re.compile(
    r"[^\W\d_]{2,}\s+[^\W\d_]{2,}"  # two words
    r"|(?=[^\x00-\x7f])[^\W\d_]"  # an accented letter (á, ç, ã…)
    r"|^[A-Z][a-z]+$"  # one capitalised word: a label
    r"|^[A-ZÁÉÍÓÚÑ].*[^\W\d_][.!?…:]\s*$",  # a sentence
)
# Class lists such as "avatar avatar--sm": lowercase names, one at least with a dash.
CLASS_LIST = re.compile(r"^(?=.*-)[a-z][a-z0-9-]*(\s+[a-z][a-z0-9-]*)*$")


def js_string_literals(source):
    """(line, text) of every string literal in a script. Comments and regular expression
    literals are skipped, not mistaken for strings (``/"/g`` holds a quote)."""
    found, i, line, previous = [], 0, 1, ""
    while i < len(source):
        char = source[i]
        if source.startswith("//", i):
            i = source.find("\n", i) if "\n" in source[i:] else len(source)
        elif source.startswith("/*", i):
            end = source.index("*/", i) + 2
            line += source.count("\n", i, end)
            i = end
        elif char in "\"'`":
            end = i + 1
            while source[end] != char:
                end += 2 if source[end] == "\\" else 1
            found.append((line, source[i + 1:end]))
            line += source.count("\n", i, end)
            i, previous = end + 1, "literal"
        elif char == "/" and previous in ("", "operator", "return"):
            end, in_class = i + 1, False
            while in_class or source[end] != "/":
                if source[end] == "\\":
                    end += 1
                elif source[end] in "[]":
                    in_class = source[end] == "["
                end += 1
            i, previous = end + 1, "literal"
        elif char.isalnum() or char in "_$":
            word = re.match(r"[\w$]+", source[i:]).group()
            previous = "return" if word in ("return", "typeof", "case") else "word"
            i += len(word)
        else:
            line += char == "\n"
            if not char.isspace():
                previous = "word" if char in ")]" else "operator"
            i += 1
    return found


def natural_language(literal):
    text = re.sub(r"\{(\w+)\}", r"\1", literal)  # "{name} escribe" reads as two words
    if literal in JS_NOT_WORDS or CLASS_LIST.match(literal):
        return False
    return bool(WORDS.search(text))


def test_script_literals_are_read_as_expected():
    source = r'''a.replace(/"/g, "%22"); // "Un comentario"
    /* "Otro comentario" */ x = y / 2 / z; say("Hola mundo", 'Guardado.', `{name} escribe`);
    q("[data-post-id=\"" + id + "\"]"); key === "Enter"; t = "Leyendo…";
    c = "avatar avatar--sm"; s = "https:";'''
    literals = [text for _line, text in js_string_literals(source)]
    assert literals == ["%22", "Hola mundo", "Guardado.", "{name} escribe",
                        '[data-post-id=\\"', '\\"]', "Enter", "Leyendo…",
                        "avatar avatar--sm", "https:"]
    assert [text for text in literals if natural_language(text)] == [
        "Hola mundo", "Guardado.", "{name} escribe", "Leyendo…",
    ]


@pytest.mark.parametrize("script", sorted(JS_DIR.glob("*.js")), ids=lambda path: path.name)
def test_scripts_hold_no_interface_text(script):
    words = [
        f"{script.name}:{line}: {literal!r}"
        for line, literal in js_string_literals(script.read_text(encoding="utf-8"))
        if natural_language(literal)
    ]
    assert not words, (
        "text shown to people must come from a template (a data-*-label attribute "
        "rendered with {% translate %}):\n  " + "\n  ".join(words)
    )


def data_attributes_read(source):
    """The data-* attributes a script reads: ``el.dataset.fooBar`` (not assigned) and
    ``[data-foo-bar]`` in selectors."""
    names = {
        "data-" + re.sub(r"[A-Z]", lambda m: "-" + m.group().lower(), name)
        for name in re.findall(r"\.dataset\.(\w+)\b(?!\s*=[^=])", source)
    }
    for _line, literal in js_string_literals(source):
        names.update(re.findall(r"\[(data-[a-z0-9-]+)", literal))
    return names


@pytest.mark.parametrize("script", sorted(JS_DIR.glob("*.js")), ids=lambda path: path.name)
def test_data_attributes_the_scripts_read_are_in_the_templates(script):
    templates = "\n".join(
        path.read_text(encoding="utf-8") for path in TEMPLATES_DIR.rglob("*.html")
    )
    missing = sorted(
        name for name in data_attributes_read(script.read_text(encoding="utf-8"))
        if not re.search(re.escape(name) + r"[\s=>/{]", templates)
    )
    assert not missing, f"{script.name} reads attributes no template renders: {missing}"


def test_attributes_the_scripts_read_hold_no_untranslated_words():
    """A label in a data attribute is only translated if the template says so: a value
    written out in Spanish would reach the script untranslated."""
    read = set().union(*(data_attributes_read(path.read_text(encoding="utf-8"))
                         for path in JS_DIR.glob("*.js")))
    written_out = [
        f"{path.relative_to(REPO_ROOT)}: {name}=\"{value}\""
        for path in TEMPLATES_DIR.rglob("*.html")
        for name, value in re.findall(r'(data-[a-z0-9-]+)="([^"{]*)"', path.read_text("utf-8"))
        if name in read and natural_language(value)
    ]
    assert not written_out, "use {% translate %} for these values:\n  " + "\n  ".join(
        written_out
    )


# --- The Spanish overrides (site/locale/es) ---------------------------------------------


def upstream_msgids():
    """Every msgid of the catalogues the overrides may replace (their English catalogues
    list them all)."""
    import allauth
    import django
    import wagtail

    ids = set()
    for package in (django, allauth, wagtail):
        for po_path in Path(package.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po"):
            with po_path.open("rb") as po_file:
                ids |= {m.id if isinstance(m.id, str) else tuple(m.id)
                        for m in read_po(po_file) if m.id}
    return ids


def test_spanish_catalogue_only_overrides_upstream_strings():
    """The es catalogue is not a translation of the interface (Spanish is its source):
    it replaces upstream Spanish ("usted", missing Wagtail strings). Every entry must be
    translated, keep its placeholders, and still exist upstream after an upgrade."""
    with (LOCALE_DIR / "es" / "LC_MESSAGES" / "django.po").open("rb") as po_file:
        catalogue = read_po(po_file, locale="es")
    messages = [message for message in catalogue if message.id]
    assert messages
    assert [m.id for m in messages if m.fuzzy or not all(
        m.string if m.pluralizable else [m.string])] == []
    assert [(message.id, errors) for message, errors in catalogue.check()] == []
    upstream = upstream_msgids()
    stale = [m.id for m in messages
             if (m.id if isinstance(m.id, str) else tuple(m.id)) not in upstream]
    assert stale == [], "no longer upstream: drop or update these overrides"


def test_spanish_overrides_are_compiled_and_win():
    call_command("compile_translations", stdout=io.StringIO())
    assert (LOCALE_DIR / "es" / "LC_MESSAGES" / "django.mo").exists()
    with translation.override("es"):
        from django.utils.translation import gettext

        # allauth's own Spanish says "¿Ha olvidado su contraseña?"
        assert gettext("Forgot your password?") == "¿Has olvidado tu contraseña?"
        # The interface's Spanish source strings are untouched.
        assert gettext("Cursos") == "Cursos"


# --- E-mails: every word a recipient reads is in the catalogues ----------------------------

APP_DIRS = ("site", "courses", "community", "webinars", "search", "participation")
# What an e-mail may say outside {% translate %}: the platform's name and the signature
# delimiter ("-- ").
EMAIL_LITERALS = ("AL-LAs Campus", "--")


def email_templates():
    return sorted(
        path
        for name in APP_DIRS
        for path in (REPO_ROOT / name).glob("**/email/*")
        if path.suffix in {".txt", ".html"}
    )


def untranslated_text(source):
    """What is left of a template once translated blocks, other tags, variables and
    comments are taken out: words there reach the reader untranslated."""
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{#.*?#}", " ", source, flags=re.S)
    source = re.sub(
        r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}", " ", source,
        flags=re.S,
    )
    source = re.sub(r"{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    source = re.sub(r"<[^>]+>", " ", source)  # HTML tags (attributes are checked below)
    for literal in EMAIL_LITERALS:
        source = source.replace(literal, " ")
    return [word for word in re.findall(r"[^\W\d_]{2,}", source)]


def test_email_templates_are_found():
    names = {path.name for path in email_templates()}
    assert {"post.txt", "digest.txt", "enrolled.txt", "enrolled_subject.txt"} <= names


@pytest.mark.parametrize("path", email_templates(), ids=lambda path: path.name)
def test_email_template_has_no_untranslated_words(path):
    assert untranslated_text(path.read_text()) == [], f"mark these with translate: {path}"


def test_untranslated_text_finds_a_bare_sentence():
    # The check itself: a bare word fails, translated and variable text does not.
    assert untranslated_text("{% load i18n %}Hola {{ name }}") == ["Hola"]
    assert untranslated_text('{% translate "Hola" %} {{ name }}\n-- \nAL-LAs Campus') == []
    assert untranslated_text(
        "{% blocktranslate with n=name %}Hola, {{ n }}{% endblocktranslate %}"
    ) == []


SEND_FUNCTIONS = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers",
                  "EmailMessage", "EmailMultiAlternatives"}
TRANSLATING = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext",
               "pgettext_lazy", "npgettext", "render_to_string"}


def untranslated_literals(node, assigned, seen=frozenset()):
    """The words written in the code that an expression puts into a subject without
    gettext: string literals reaching it directly, through f-strings, joins, formatting
    or local variables. Text from gettext, a rendered template (checked above),
    settings (the subject prefix) or the database (an editor's subject) is not ours to
    translate here."""
    import ast

    def inner(child):
        return untranslated_literals(child, assigned, seen)

    if isinstance(node, ast.Constant):
        has_words = isinstance(node.value, str) and re.search(r"[^\W\d_]{2,}", node.value)
        return [node.value] if has_words else []
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in TRANSLATING:
            return []
        parts = [func.value] if isinstance(func, ast.Attribute) else []
        return [word for part in parts + list(node.args) for word in inner(part)]
    if isinstance(node, ast.Name):
        if node.id in seen:
            return []
        values = assigned.get(node.id, [])
        return [word for value in values
                for word in untranslated_literals(value, assigned, seen | {node.id})]
    children = {
        ast.JoinedStr: lambda: node.values,
        ast.FormattedValue: lambda: [node.value],
        ast.IfExp: lambda: [node.body, node.orelse],
        ast.BinOp: lambda: [node.left, node.right],
        ast.Dict: lambda: node.values,
        ast.Tuple: lambda: node.elts,
        ast.List: lambda: node.elts,
    }.get(type(node), list)()
    return [word for child in children for word in inner(child)]


def email_sends():
    """(file, line, subject expression, the enclosing function's assignments) for every
    e-mail our code sends."""
    import ast

    for name in APP_DIRS:
        for path in sorted((REPO_ROOT / name).glob("**/*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                assigned = {}
                for node in ast.walk(function):
                    if isinstance(node, ast.Assign):
                        for target in node.targets:
                            if isinstance(target, ast.Name):
                                assigned.setdefault(target.id, []).append(node.value)
                for node in ast.walk(function):
                    if not isinstance(node, ast.Call):
                        continue
                    func = node.func
                    called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                    if called not in SEND_FUNCTIONS:
                        continue
                    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call) \
                            and getattr(func.value.func, "id", "") == "super":
                        # allauth's adapter.send_mail(template_prefix, ...): allauth
                        # renders its own subject templates (site/locale/es overrides).
                        continue
                    subject = node.args[0] if node.args else next(
                        (kw.value for kw in node.keywords if kw.arg == "subject"), None)
                    yield path.relative_to(REPO_ROOT), node.lineno, subject, assigned


def test_every_email_subject_is_translated():
    sends = list(email_sends())
    assert len(sends) >= 3  # courses and the Café send mail
    untranslated = [
        (f"{path}:{line}", words) for path, line, subject, assigned in sends
        if subject is None or (words := untranslated_literals(subject, assigned))
    ]
    assert untranslated == [], "subjects must come from gettext or a translated template"


def test_subject_check_finds_bare_text():
    import ast

    def words(source):
        tree = ast.parse(source)
        assigned = {node.targets[0].id: [node.value] for node in tree.body[:-1]}
        return untranslated_literals(tree.body[-1].value, assigned)

    assert words('_("Hola %(x)s") % {"x": 1}') == []
    assert words(
        's = render_to_string("a_subject.txt")\nsettings.PREFIX + " ".join(s.split())'
    ) == []
    assert words("settings.PREFIX + message.subject") == []  # an editor's own words
    assert words('"Nueva respuesta"') == ["Nueva respuesta"]
    assert words('s = "Hola"\ns') == ["Hola"]
    assert words('f"Nueva respuesta en {debate}"') == ["Nueva respuesta en "]
    assert words('(_("Mención") if kind else "Respuesta") % {}') == ["Respuesta"]
