import factory
from django.utils import timezone

from community.models import Category, Debate, Post
from community.sanitizer import clean_post
from community.services import refresh_debate_stats
from tests import factories


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Categoría {n}")
    slug = factory.Sequence(lambda n: f"categoria-{n}")
    read_access = "everyone"
    post_access = "members"
    approve_first_posts = False


class DebateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Debate

    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Debate {n}")
    author = factory.LazyFunction(factories.expert)


def add_posts(debate, count, author=None, text="Mensaje {n}", status="visible"):
    """Bulk rows for size tests (bypassing the services on purpose)."""
    author = author or debate.author
    now = timezone.now()
    posts = Post.objects.bulk_create(
        Post(
            debate=debate, author=author, body_source=text.format(n=n),
            body_html=clean_post(text.format(n=n)), status=status, created_at=now,
        )
        for n in range(count)
    )
    refresh_debate_stats(debate)
    debate.refresh_from_db()
    return posts
