"""A post whose live event was lost is noticed by the next one: each post.created names
the debate's previous visible post, so a reader can tell a gap and resume."""

import pytest

from community import services
from community.models import Post
from tests import factories
from tests.community.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def test_each_new_post_names_the_one_before(monkeypatch):
    sent = []
    monkeypatch.setattr(services, "send_event_on_commit",
                        lambda group, event, **kw: sent.append(event))
    category = CategoryFactory(approve_first_posts=False)
    expert = factories.expert()
    debate = services.do_start_debate(expert, category, title="T", body="Apertura")
    first = Post.objects.get(debate=debate)
    second = services.do_create_post(factories.expert(), debate, "Dos")
    third = services.do_create_post(expert, debate, "Tres")
    created = [event for event in sent if event["type"] == "post.created"]
    assert [(event["id"], event["prev"]) for event in created] == [
        (first.pk, 0), (second.pk, first.pk), (third.pk, second.pk),
    ]
