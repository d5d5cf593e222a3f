import pytest
from django.urls import reverse

from allas_site.notifications import services
from allas_site.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


def test_inbox_needs_login(client):
    assert client.get(reverse("notifications:inbox")).status_code == 302


def test_inbox_lists_my_notifications_and_the_bell_counts_them(client, learner):
    other = factories.learner()
    services.do_notify(learner, kind="reply", title="Respuesta a tu debate", url="/cafe/")
    services.do_notify(other, kind="reply", title="Notificación ajena")
    client.force_login(learner)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Respuesta a tu debate" in page
    assert "Notificación ajena" not in page
    assert 'data-bell-count>1</span>' in page


def test_mark_all_read_is_a_csrf_protected_post(client, learner):
    services.do_notify(learner, kind="reply", title="Una")
    client.force_login(learner)
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert not Notification.objects.unread().exists()


def test_inbox_query_count_does_not_grow(client, learner, django_assert_max_num_queries):
    client.force_login(learner)
    for index in range(3):
        services.do_notify(learner, kind="reply", title=f"Aviso {index}")
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("notifications:inbox"))
    for index in range(60):
        services.do_notify(learner, kind="reply", title=f"Aviso extra {index}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("notifications:inbox"))


def test_inactive_people_are_not_notified(learner):
    learner.is_active = False
    learner.save()
    assert services.do_notify(learner, kind="reply", title="Nada") is None
    assert not Notification.objects.exists()
