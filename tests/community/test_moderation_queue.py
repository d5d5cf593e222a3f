"""The moderation queue in the Wagtail admin: links to the posts, and dismiss / hide /
restore from each report, always through the services (checked and logged)."""

import pytest
from django.test import Client

from community import services
from community.models import ModerationAction, Post, Report
from tests import factories

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def report(public_category, make_debate):
    post = make_debate(public_category).posts.get()
    return services.do_report(factories.learner(), post, "Revisar por favor")


def test_the_queue_links_each_report_to_its_post_and_offers_the_actions(report, moderator):
    html = logged_in(moderator).get("/admin/cafe_reports/").content.decode()
    assert f'href="/cafe/mensajes/{report.post_id}/"' in html
    for action in ("dismiss", "hide"):
        assert f"/admin/cafe_reports/moderate/{report.pk}/{action}/" in html
    # The post is visible: nothing to restore.
    assert f"/admin/cafe_reports/moderate/{report.pk}/restore/" not in html


def test_open_reports_come_first(report, moderator, public_category, make_debate):
    older = services.do_report(factories.learner(), report.post, "Otra denuncia")
    services.do_resolve_report(moderator, older)
    newest_resolved = Report.objects.get(pk=older.pk)
    html = logged_in(moderator).get("/admin/cafe_reports/").content.decode()
    assert html.index("Revisar por favor") < html.index(newest_resolved.reason)


def test_dismissing_from_the_queue_resolves_and_logs(report, moderator):
    client = logged_in(moderator)
    url = f"/admin/cafe_reports/moderate/{report.pk}/dismiss/"
    page = client.get(url)
    assert page.status_code == 200 and "Revisar por favor" in page.content.decode()
    report.refresh_from_db()
    assert report.resolved_at is None  # GET only asks
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/admin/cafe_reports/"
    report.refresh_from_db()
    assert report.resolved_at is not None and report.resolved_by == moderator
    assert report.post.status == Post.Status.VISIBLE
    assert ModerationAction.objects.filter(action="dismiss_report", moderator=moderator,
                                           post=report.post).exists()


def test_hiding_and_restoring_from_the_queue(report, moderator):
    client = logged_in(moderator)
    client.post(f"/admin/cafe_reports/moderate/{report.pk}/hide/")
    post = Post.objects.get(pk=report.post_id)
    assert post.status == Post.Status.HIDDEN
    report.refresh_from_db()
    assert report.resolved_at is not None  # hiding settles the post's open reports
    log = ModerationAction.objects.get(action="hide", post=post)
    assert log.moderator == moderator and log.details == "Revisar por favor"
    html = client.get("/admin/cafe_reports/").content.decode()
    assert f"/admin/cafe_reports/moderate/{report.pk}/restore/" in html
    assert f"/admin/cafe_reports/moderate/{report.pk}/hide/" not in html

    client.post(f"/admin/cafe_reports/moderate/{report.pk}/restore/")
    post.refresh_from_db()
    assert post.status == Post.Status.VISIBLE
    assert ModerationAction.objects.filter(action="restore", post=post).exists()


def test_a_refused_action_changes_nothing_and_says_why(report, moderator):
    client = logged_in(moderator)
    # Restoring a visible post: the service refuses with a message.
    response = client.post(f"/admin/cafe_reports/moderate/{report.pk}/restore/", follow=True)
    assert "ya está visible" in response.content.decode()
    assert not ModerationAction.objects.filter(action="restore").exists()
    assert client.post(f"/admin/cafe_reports/moderate/{report.pk}/delete-all/").status_code == 404


def test_only_moderators_act(report, editor):
    # Editors reach the admin but have no permission on reports.
    response = logged_in(editor).post(f"/admin/cafe_reports/moderate/{report.pk}/dismiss/")
    assert response.status_code in (302, 403)
    report.refresh_from_db()
    assert report.resolved_at is None
    assert not ModerationAction.objects.exists()


def test_the_service_check_holds_even_with_the_admin_permission(report):
    """A staff account given the Wagtail permission but not the Moderators role is refused
    by the service, so nothing is written."""
    from django.contrib.auth.models import Permission

    staff = factories.learner()
    staff.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_report"),  # what the queue's actions need
    )
    response = logged_in(staff).post(f"/admin/cafe_reports/moderate/{report.pk}/dismiss/",
                                     follow=True)
    assert "Solo la moderación del Café puede hacer esto." in response.content.decode()
    report.refresh_from_db()
    assert report.resolved_at is None
    assert not ModerationAction.objects.exists()


def test_the_queue_makes_as_many_queries_with_many_reports(report, moderator,
                                                           django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in(moderator)
    client.get("/admin/cafe_reports/")  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/cafe_reports/")
    for n in range(15):
        services.do_report(factories.learner(), report.post, f"Otra {n}")
    with django_assert_max_num_queries(len(few)):
        client.get("/admin/cafe_reports/")
