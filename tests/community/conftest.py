import pytest
from django.contrib.auth.models import Group

from allas_site.accounts import roles
from community import services
from community.models import Suspension
from tests import factories
from tests.community.factories import CategoryFactory


@pytest.fixture(autouse=True)
def _relaxed_rate_limit(settings):
    # Tests post quickly on purpose; the flood guard has its own test.
    settings.CAFE_POST_RATE_LIMIT = (1000, 60)


@pytest.fixture
def suspended(db):
    from datetime import timedelta

    from django.utils import timezone

    user = factories.learner()
    Suspension.objects.create(user=user, until=timezone.now() + timedelta(days=3), reason="spam")
    return user


@pytest.fixture
def unconfirmed(db):
    """An account whose e-mail is not confirmed: not a member."""
    user = factories.UserFactory(verified=False)
    user.groups.remove(*Group.objects.filter(name=roles.LEARNERS))
    return user


@pytest.fixture
def public_category(db):
    return CategoryFactory(slug="abierta", read_access="everyone", post_access="members")


@pytest.fixture
def members_category(db):
    return CategoryFactory(slug="miembros", read_access="members", post_access="members")


@pytest.fixture
def experts_category(db):
    return CategoryFactory(slug="expertos", read_access="experts", post_access="experts")


@pytest.fixture
def make_debate(db):
    def make(category, author=None, body="Apertura del debate", **kwargs):
        author = author or factories.expert()
        return services.do_start_debate(author, category, title="Un debate", body=body, **kwargs)

    return make


@pytest.fixture(autouse=True)
def _fresh_presence():
    """Debate ids come back between runs (and between tests on SQLite): start every test
    with nobody present, in this process and in the test prefix of Redis."""
    from django.conf import settings

    from community import presence

    presence._memory_store.rooms.clear()
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        try:
            keys = list(client.scan_iter(f"{presence.key_prefix()}:presence:*", count=500))
            if keys:
                client.delete(*keys)
        finally:
            client.close()
    yield
