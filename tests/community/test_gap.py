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



class FlakyLayer:
    """A channel layer whose first send fails like a dead pooled connection."""

    def __init__(self, error):
        self.error, self.sent = error, []

    async def group_send(self, group, message):
        if self.error is not None:
            error, self.error = self.error, None
            raise error
        self.sent.append((group, message))


@pytest.mark.parametrize("error", [RuntimeError("handler is closed"), ConnectionError()])
def test_a_send_on_a_dead_redis_connection_is_tried_again(
    monkeypatch, django_capture_on_commit_callbacks, error
):
    """channels-redis can hand out a pooled connection that died since the last post:
    the post's event must not be lost to every reader."""
    from allas_site import realtime

    layer = FlakyLayer(error)
    monkeypatch.setattr(realtime, "get_channel_layer", lambda: layer)
    category = CategoryFactory(approve_first_posts=False)
    with django_capture_on_commit_callbacks(execute=True):
        debate = services.do_start_debate(factories.expert(), category, title="T", body="Uno")
    created = [m for _g, m in layer.sent if m["kind"] == "post.created"]
    assert [m["id"] for m in created] == [Post.objects.get(debate=debate).pk]
