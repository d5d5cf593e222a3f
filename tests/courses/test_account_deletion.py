"""Deleting an account keeps what others rely on: certificates verify as issued, and
the reports it filed stay in the moderation record without the reporter."""

import pytest
from django.urls import reverse

from allas_site.accounts import services as accounts
from community import services as cafe
from community.models import Report
from courses import services as courses_services
from courses.models import Certificate
from tests import factories
from tests.community.factories import CategoryFactory
from tests.courses.test_views import finish
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_deleted_learners_certificate_still_verifies(client, learner, course):
    courses_services.do_enroll(learner, course)
    finish(learner, course)
    certificate = Certificate.objects.get()
    name = certificate.learner_name
    accounts.do_delete_account(learner, learner, PASSWORD)
    certificate.refresh_from_db()
    assert certificate.enrollment is None
    page = client.get(f"/certificados/{certificate.code}/")
    assert page.status_code == 200
    assert name in page.content.decode()
    # Nobody but course editors may download the holder's PDF now.
    client.force_login(factories.learner())
    assert client.get(f"/certificados/{certificate.code}/pdf/").status_code == 403


def test_a_deleted_members_reports_stay_anonymised(client, moderator):
    category = CategoryFactory(approve_first_posts=False)
    author = factories.expert()
    debate = cafe.do_start_debate(author, category, title="Tema", body="Un mensaje")
    reporter = factories.learner()
    cafe.do_report(reporter, debate.posts.first(), "Es publicidad")
    accounts.do_delete_account(reporter, reporter, PASSWORD)
    report = Report.objects.get()
    assert report.reporter is None
    assert report.reason == "Es publicidad"
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    page = client.get(reverse("cafe_reports:moderate", args=[report.pk, "hide"]))
    assert page.status_code == 200
    assert "Cuenta eliminada" in page.content.decode()


def test_the_deletion_page_says_so(client, learner):
    client.force_login(learner)
    html = client.get(reverse("accounts:delete_account")).content.decode()
    assert "siguen siendo verificables" in html
