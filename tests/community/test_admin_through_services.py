"""The Wagtail admin cannot bypass the Café services: reports and the log are read-only,
suspensions are created and lifted through services (checked and logged), categories
and sessions are saved through services."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Category, ModerationAction, Report, Suspension
from tests import factories
from tests.community.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def report():
    category = CategoryFactory(approve_first_posts=False)
    debate = services.do_start_debate(factories.expert(), category, title="T", body="Hola")
    return services.do_report(factories.learner(), debate.posts.first(), "Publicidad")


@pytest.fixture
def suspension(moderator):
    return services.do_suspend(moderator, factories.learner(),
                               until=timezone.now() + datetime.timedelta(days=3),
                               reason="Spam")


@pytest.mark.parametrize("who", ["moderator", "superuser"])
def test_a_report_cannot_be_rewritten_or_deleted(client, report, moderator, superuser, who):
    user = moderator if who == "moderator" else superuser
    client = logged_in(client, user)
    for url in (f"/admin/cafe_reports/edit/{report.pk}/",
                f"/admin/cafe_reports/delete/{report.pk}/", "/admin/cafe_reports/new/"):
        response = client.post(url, {"reason": "Lo que el miembro nunca dijo"})
        assert response.status_code in {302, 403}
    report.refresh_from_db()
    assert report.reason == "Publicidad"
    assert Report.objects.count() == 1


def test_the_moderation_log_cannot_be_edited(client, suspension, superuser):
    entry = ModerationAction.objects.get()
    client = logged_in(client, superuser)
    client.post(f"/admin/cafe_log/edit/{entry.pk}/", {"details": "otra cosa"})
    client.post(f"/admin/cafe_log/delete/{entry.pk}/")
    entry.refresh_from_db()
    assert entry.details != "otra cosa"
    assert ModerationAction.objects.count() == 1


def test_a_suspension_cannot_be_retargeted(client, suspension, moderator):
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    client = logged_in(client, moderator)
    response = client.post(f"/admin/cafe_suspensions/edit/{suspension.pk}/",
                           {"user": staff.pk, "until": "2099-01-01 00:00", "reason": "x"})
    assert response.status_code in {302, 403}
    suspension.refresh_from_db()
    assert suspension.user != staff


def test_lifting_a_suspension_is_logged(client, suspension, moderator):
    client = logged_in(client, moderator)
    assert client.get(f"/admin/cafe_suspensions/lift/{suspension.pk}/").status_code == 200
    client.post(f"/admin/cafe_suspensions/lift/{suspension.pk}/")
    suspension.refresh_from_db()
    assert suspension.until <= timezone.now()
    assert ModerationAction.objects.filter(action="lift_suspension").count() == 1
    assert Suspension.objects.count() == 1  # ended, not erased


def test_only_moderators_lift(suspension, editor):
    with pytest.raises(services.CafePermissionError):
        services.do_lift_suspension(editor, suspension)


def test_categories_are_saved_through_the_service_and_logged(client, moderator):
    client = logged_in(client, moderator)
    response = client.post(reverse("cafe_categories:add"), {
        "name": "Agendas\nglobales", "slug": "agendas", "description": "",
        "read_access": "everyone", "post_access": "members", "order": 0,
    })
    assert response.status_code == 302, response.content[:500]
    category = Category.objects.get(slug="agendas")
    assert category.name == "Agendas globales"
    assert ModerationAction.objects.filter(action="category.created").exists()


def test_a_learner_cannot_save_a_category_through_the_service():
    with pytest.raises(services.CafePermissionError):
        services.do_save_category(factories.learner(), Category(name="X", slug="x"))


def test_sessions_need_the_admin_permission(moderator):
    from community.models import CafeSession

    now = timezone.now()
    session = CafeSession(title="Café", category=CategoryFactory(), opens_at=now,
                          closes_at=now + datetime.timedelta(hours=1))
    with pytest.raises(services.CafePermissionError):
        services.do_save_session(factories.learner(), session)
