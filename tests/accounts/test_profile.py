import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from allas_site.accounts import roles, services
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()


def png_bytes(size=(64, 64)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (18, 60, 105)).save(buffer, "PNG")
    return buffer.getvalue()


def profile_data(**overrides):
    return {
        "display_name": "Mariana Ortega",
        "first_name": "Mariana",
        "last_name": "Ortega",
        "organisation": "Alcaldía de Medellín",
        "position": "Directora de cooperación",
        "city": "Medellín",
        "country": "CO",
        "languages": ["es", "en"],
        "expertise": "cooperación descentralizada, redes de ciudades",
        "bio": "Trabajo en la internacionalización de mi ciudad.",
        "preferred_language": "es",
        **overrides,
    }


def test_the_four_roles_exist():
    assert set(roles.ALL_ROLES) <= set(Group.objects.values_list("name", flat=True))


def test_profile_pages_need_login(client):
    for name in ("accounts:profile", "accounts:profile_edit", "accounts:data_export",
                 "accounts:delete_account"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/cuentas/login/" in response["Location"]


def test_member_fills_in_the_profile(client, learner):
    client.force_login(learner)
    photo = SimpleUploadedFile("yo.png", png_bytes(), content_type="image/png")
    response = client.post(reverse("accounts:profile_edit"), {**profile_data(), "photo": photo})
    assert response.status_code == 302, response.context["form"].errors
    learner.refresh_from_db()
    assert learner.display_name == "Mariana Ortega"
    assert learner.country.code == "CO"
    assert learner.languages == ["es", "en"]
    assert learner.expertise_list == ["cooperación descentralizada", "redes de ciudades"]
    assert learner.photo.name.endswith(".png")
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Directora de cooperación" in page and "Colombia" in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"display_name": "   "}, "display_name"),
        ({"country": "XX"}, "country"),
        ({"languages": ["klingon"]}, "languages"),
        ({"bio": "x" * 601}, "bio"),
    ],
)
def test_bad_profile_input_is_refused_and_changes_nothing(client, learner, overrides, field):
    client.force_login(learner)
    before = learner.display_name
    response = client.post(reverse("accounts:profile_edit"), profile_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    learner.refresh_from_db()
    assert learner.display_name == before


def test_photo_that_is_not_an_image_or_too_big_is_refused(client, learner, settings):
    client.force_login(learner)
    fake = SimpleUploadedFile("yo.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client.post(reverse("accounts:profile_edit"), {**profile_data(), "photo": fake})
    assert "photo" in response.context["form"].errors
    settings.AVATAR_MAX_BYTES = 100
    big = SimpleUploadedFile("yo.png", png_bytes((300, 300)), content_type="image/png")
    response = client.post(reverse("accounts:profile_edit"), {**profile_data(), "photo": big})
    assert "máximo" in " ".join(response.context["form"].errors["photo"])
    learner.refresh_from_db()
    assert not learner.photo


def test_profile_edit_form_has_csrf_protection(learner):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = client.post(reverse("accounts:profile_edit"), profile_data())
    assert response.status_code == 403


def test_someone_else_cannot_edit_my_profile(learner, expert):
    from allas_site.accounts.forms import ProfileForm

    form = ProfileForm(profile_data(), instance=expert)
    assert form.is_valid()
    with pytest.raises(services.AccountError):
        services.do_update_profile(learner, expert, form)


def test_data_export_contains_everything_about_me(client, learner):
    client.force_login(learner)
    response = client.get(reverse("accounts:data_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == learner.email
    assert data["account"]["roles"] == ["Learners"]
    assert data["profile"]["display_name"] == learner.display_name
    assert data["email_addresses"][0]["verified"] is True


def test_deleting_the_account_needs_the_password(client, learner):
    client.force_login(learner)
    url = reverse("accounts:delete_account")
    response = client.post(url, {"password": "wrong", "confirm": "on"})
    assert response.status_code == 200
    assert "no es correcta" in response.content.decode()
    assert User.objects.filter(pk=learner.pk).exists()

    response = client.post(url, {"password": factories.PASSWORD})  # no confirmation tick
    assert "confirm" in response.context["form"].errors
    assert User.objects.filter(pk=learner.pk).exists()

    response = client.post(url, {"password": factories.PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()
    assert "_auth_user_id" not in client.session


def test_the_last_superuser_cannot_delete_themselves(superuser):
    with pytest.raises(services.AccountError):
        services.do_delete_account(superuser, superuser, factories.PASSWORD)


def test_expert_profiles_are_public_other_profiles_are_for_members(client, learner, expert):
    assert client.get(reverse("accounts:person", args=[expert.pk])).status_code == 200
    hidden = client.get(reverse("accounts:person", args=[learner.pk]))
    assert hidden.status_code == 302 and "/cuentas/login/" in hidden["Location"]
    assert learner.display_name not in hidden.content.decode()
    client.force_login(expert)
    page = client.get(reverse("accounts:person", args=[learner.pk]))
    assert page.status_code == 200
    assert learner.email not in page.content.decode()  # e-mail only on one's own profile


def test_staff_grants_expert_in_the_wagtail_admin(client, superuser, learner):
    client.force_login(superuser)
    edit_url = reverse("wagtailusers_users:edit", args=[learner.pk])
    assert client.get(edit_url).status_code == 200
    groups = Group.objects.filter(name__in=[roles.LEARNERS, roles.EXPERTS])
    response = client.post(
        edit_url,
        {
            "email": learner.email,
            "first_name": "Ana",
            "last_name": "Gómez",
            "is_active": "on",
            "groups": [group.pk for group in groups],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    learner.refresh_from_db()
    assert learner.is_expert


def test_roles_cannot_be_granted_without_permission(learner, expert):
    with pytest.raises(services.AccountError):
        services.do_add_role(expert, roles.MODERATORS, actor=learner)
    with pytest.raises(services.AccountError):
        services.do_add_role(expert, roles.MODERATORS)  # only Learner is automatic
    assert not expert.groups.filter(name=roles.MODERATORS).exists()
