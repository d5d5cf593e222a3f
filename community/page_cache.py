"""The Café's share of the anonymous page cache (``allas_site.core.page_cache``).

Café pages depend on their own versions, so a new post retires them without flushing
the Cuadernos or the courses:

- ``cafe``: the listings (the Café index and the categories: counts, last activity);
- ``cafe-debate-<id>``: one debate's page (its posts, reactions, state);
- ``cafe-pages``: the "Debates en el Café" block on Cuadernos and course pages, bumped
  only by changes to debates attached to a page.

The receivers below watch the rows every Café write touches (``community.services``
writes through them): posts, debates, reactions, and the moderation log, which records
the lock, pin and move that the services do with ``update()`` (no ``post_save``).
Categories and Café sessions are edited rarely, in the admin: they retire every page.
"""

from django.db.models.signals import post_delete, post_save

from allas_site.core import page_cache

LISTINGS = "cafe"
PAGE_BLOCKS = "cafe-pages"


def debate_section(debate_id):
    return f"cafe-debate-{debate_id}"


def _debate_page_id(debate_id, debate=None):
    if debate is not None:
        return debate.page_id
    from community.models import Debate

    return Debate.objects.filter(pk=debate_id).values_list("page_id", flat=True).first()


def debate_changed(debate_id, debate=None):
    if debate_id is None:
        return
    sections = [LISTINGS, debate_section(debate_id)]
    if _debate_page_id(debate_id, debate):
        sections.append(PAGE_BLOCKS)
    page_cache.bump(*sections)


def _cached_debate(instance):
    # The services create posts with the debate object at hand: no query for it then.
    return instance._state.fields_cache.get("debate")


def on_post(sender, instance, **kwargs):
    debate_changed(instance.debate_id, _cached_debate(instance))


def on_debate(sender, instance, **kwargs):
    sections = [LISTINGS, debate_section(instance.pk)]
    if instance.page_id:
        sections.append(PAGE_BLOCKS)
    page_cache.bump(*sections)


def on_reaction(sender, instance, **kwargs):
    # Only the debate page shows reactions.
    post = instance._state.fields_cache.get("post")
    if post is None:
        from community.models import Post

        debate_id = Post.objects.filter(pk=instance.post_id).values_list(
            "debate_id", flat=True
        ).first()
    else:
        debate_id = post.debate_id
    if debate_id is not None:
        page_cache.bump(debate_section(debate_id))


def on_moderation(sender, instance, created=False, **kwargs):
    if created:
        debate_changed(instance.debate_id, _cached_debate(instance))


def connect():
    from community.models import CafeSession, Category, Debate, ModerationAction, Post, Reaction

    # The home page, the Café and the pages with a Café block read these: their
    # versions come with the site-wide one, in the same round trip.
    page_cache.prefetch_sections(LISTINGS, PAGE_BLOCKS)

    for signal in (post_save, post_delete):
        name = "save" if signal is post_save else "delete"
        signal.connect(on_post, sender=Post, dispatch_uid=f"cafe-page-cache-post-{name}")
        signal.connect(on_debate, sender=Debate, dispatch_uid=f"cafe-page-cache-debate-{name}")
        signal.connect(on_reaction, sender=Reaction,
                       dispatch_uid=f"cafe-page-cache-reaction-{name}")
        for model in (Category, CafeSession):
            signal.connect(page_cache.invalidate, sender=model,
                           dispatch_uid=f"cafe-page-cache-{model.__name__}-{name}")
    post_save.connect(on_moderation, sender=ModerationAction,
                      dispatch_uid="cafe-page-cache-moderation")
