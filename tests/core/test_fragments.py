"""``{% shared_fragment %}``: rendered once per name, values, language and zone, for
nobody in particular; the header's menu, the language switcher and the footer use it."""

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory

from allas_site.core import page_cache
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATE = Template(
    "{% load fragments %}{% shared_fragment 'probe' value %}"
    "[{{ user.is_authenticated }}|{{ unread_notifications }}|{{ csrf_token }}|{{ value }}|"
    "{{ request.user.is_authenticated }}]{% endshared_fragment %}"
)


def kept_markup():
    """What the page memo holds as markup or pickles, as bytes (other tests' shared model
    instances are left alone: their repr would query)."""
    parts = []
    for _expires, data, _size in page_cache._fragments._entries.values():
        if isinstance(data, bytes):
            parts.append(data)
        elif isinstance(data, tuple) and isinstance(data[-1], str):
            parts.append(data[-1].encode())
    return b"".join(parts)


def render(request, value, user):
    request.user = user
    return TEMPLATE.render(Context({"request": request, "user": user, "value": value,
                                    "unread_notifications": 7, "csrf_token": "secreto"}))


def test_the_block_is_rendered_for_nobody_and_kept(learner):
    factory = RequestFactory()
    first = render(factory.get("/"), "a", learner)
    assert first == "[False|0|None|a|False]"
    assert render(factory.get("/"), "a", learner) == first
    assert render(factory.get("/"), "b", learner) == "[False|0|None|b|False]"


def test_publishing_retires_the_block(learner):
    factory = RequestFactory()
    render(factory.get("/"), "a", learner)
    calls = []
    real = page_cache._fragments.set

    def spy(key, value, timeout=None, **kwargs):
        calls.append(key)
        return real(key, value, timeout, **kwargs)

    page_cache._fragments.set = spy
    try:
        render(factory.get("/"), "a", learner)
        assert calls == []  # kept
        page_cache.invalidate()
        render(factory.get("/"), "a", learner)
        assert len(calls) == 1  # rendered again under the new version
    finally:
        page_cache._fragments.set = real


def test_the_header_and_footer_stay_personal_only_where_they_should(
    client, home_page, learner, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    learner.display_name = "Quimey Personal"
    learner.save()
    member = Client()
    member.force_login(learner)
    mine = member.get("/").content.decode()  # fills the shared header and footer
    assert "Quimey Personal" in mine and "data-bell" in mine
    anonymous = client.get("/").content.decode()
    assert "Quimey Personal" not in anonymous and "data-bell" not in anonymous
    assert 'class="main-nav"' in anonymous and 'class="language-switcher"' in anonymous
    assert 'class="site-footer"' in anonymous
    english = client.get("/en/").content.decode()
    assert '<html lang="en">' in english and 'hreflang="es"' in english


def test_a_preview_is_rendered_afresh_and_never_kept(learner):
    # A preview shows a draft: it must not see the live copy, nor leave its own behind.
    factory = RequestFactory()
    assert render(factory.get("/"), "a", learner) == "[False|0|None|a|False]"
    preview = factory.get("/")
    preview.is_preview = True
    request_user_rendering = render(preview, "a", learner)
    assert request_user_rendering == "[True|7|secreto|a|True]"
    assert render(factory.get("/"), "a", learner) == "[False|0|None|a|False]"


FORM = Template(
    "{% load fragments %}{% shared_fragment 'form-probe' value with_csrf %}"
    "<form>{% csrf_token %}{{ value }}</form>{% endshared_fragment %}"
)
NO_FORM = Template(
    "{% load fragments %}{% shared_fragment 'no-form-probe' with_csrf %}<p>sin formulario</p>"
    "{% endshared_fragment %}"
)


def test_a_kept_form_gets_each_requests_own_token_and_keeps_none(learner):
    from django.middleware.csrf import get_token

    factory = RequestFactory()
    tokens = []
    for _index in range(2):
        request = factory.get("/")
        request.user = learner
        token = get_token(request)
        html = FORM.render(Context({"request": request, "csrf_token": token, "value": "x"}))
        field = f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        assert html == f"<form>{field}x</form>"
        tokens.append(token)
    assert tokens[0] != tokens[1]  # each request's own (masked) token
    kept = kept_markup()
    assert b"csrf-slot" in kept
    assert not any(token.encode() in kept for token in tokens)


def test_a_kept_block_without_a_form_asks_for_no_token():
    asked = []

    class Token:
        def __str__(self):
            asked.append(True)
            return "abc"

        def __bool__(self):
            asked.append(True)
            return True

    request = RequestFactory().get("/")
    html = NO_FORM.render(Context({"request": request, "csrf_token": Token()}))
    assert html == "<p>sin formulario</p>" and asked == []


def test_a_members_reaction_form_on_a_debate_page_works_with_its_token(client, learner, expert):
    from community import services
    from community.models import Reaction
    from tests.community.factories import CategoryFactory

    category = CategoryFactory(slug="abierta", read_access="everyone", post_access="members")
    debate = services.do_start_debate(expert, category, title="Un debate", body="Apertura")
    post = debate.posts.get()
    member = Client(enforce_csrf_checks=True)
    member.force_login(learner)
    member.get(debate.get_absolute_url())  # keeps the block
    html = member.get(debate.get_absolute_url()).content.decode()
    form_start = html.index(f'action="/cafe/mensajes/{post.pk}/reaccionar/"')
    token = html[form_start:].split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert "csrf-slot" not in html
    response = member.post(f"/cafe/mensajes/{post.pk}/reaccionar/",
                           {"csrfmiddlewaretoken": token, "kind": "like"})
    assert response.status_code in (200, 302)
    assert Reaction.objects.filter(post=post, user=learner, kind="like").exists()


MEMBER = Template(
    "{% load fragments %}{% member_fragment 'member-probe' value %}"
    "[{{ user.pk }}|{{ value }}|{{ shown }}]<form>{% csrf_token %}</form>{% endmember_fragment %}"
)


def render_for(user, value, shown, token="Tk9uno"):  # noqa: S107 - a probe, not a secret
    request = RequestFactory().get("/")
    request.user = user
    return MEMBER.render(Context({"request": request, "user": user, "value": value,
                                  "shown": shown, "csrf_token": token}))


def test_a_member_block_is_kept_per_member_and_per_value(learner, expert):
    field = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
    first = render_for(learner, "a", "uno")
    assert first == f"[{learner.pk}|a|uno]<form>{field.format('Tk9uno')}</form>"
    # Kept: what is not a value is not looked at again (so the values must name it all)…
    assert render_for(learner, "a", "dos", token="Tk9dos") == (
        f"[{learner.pk}|a|uno]<form>{field.format('Tk9dos')}</form>"
    )
    # …a new value renders it again, and another member never gets the first one's copy.
    assert render_for(learner, "b", "dos").startswith(f"[{learner.pk}|b|dos]")
    assert render_for(expert, "a", "tres").startswith(f"[{expert.pk}|a|tres]")
    kept = kept_markup()
    assert b"Tk9" not in kept


def test_the_account_menu_follows_the_members_name_count_and_roles(client, home_page, learner,
                                                                    settings):
    from django.contrib.auth.models import Group

    from allas_site.accounts import roles
    from allas_site.notifications import services as notifications

    settings.PAGE_CACHE_SECONDS = 0
    member = Client(enforce_csrf_checks=True)
    member.force_login(learner)
    html = member.get("/").content.decode()
    assert learner.public_name in html and 'href="/admin/"' not in html
    learner.display_name = "Nombre Nuevo"
    learner.save()
    notifications.do_notify(learner, kind="mention", title="Te mencionaron")
    html = member.get("/").content.decode()
    assert "Nombre Nuevo" in html
    assert 'data-bell-count>1</span>' in html
    learner.groups.add(Group.objects.get(name=roles.EDITORS))
    html = member.get("/").content.decode()
    assert 'href="/admin/"' in html
    other = Client()
    other.force_login(UserFactory(display_name="Otra Persona"))
    theirs = other.get("/").content.decode()
    assert "Otra Persona" in theirs and "Nombre Nuevo" not in theirs
    # The kept menu's log-out form carries this request's own token, and it works.
    token = html.split('action="/cuentas/logout/"', 1)[1]
    token = token.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert member.post("/cuentas/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert "Nombre Nuevo" not in member.get("/").content.decode()
