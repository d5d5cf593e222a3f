"""Café listings kept per process for each level of reading access.

What the Café index and the home page's Café section list (categories and their debate
counts, sessions, the latest debates and their participants) depends only on which
categories the reader may read, and there are three such levels (everyone; members;
experts and moderators). So each listing is built once per level and language and kept
in this process until the Café's listings change (the page cache's ``cafe`` section,
bumped by every post, debate and moderation; ``cafe-pages`` for the block on a page),
publishing, or ``seconds`` (sessions open and close with time). A member's own unread
marks are added afterwards, from the marks kept for them (``community.read_marks``).

The kept objects are shared by every request of the process (no copy is made when they
are read): nothing may change them; ``mark_unread`` marks copies.
"""

import copy

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.utils import translation

from allas_site.core import page_cache
from community import permissions
from community.page_cache import LISTINGS


def kept(request, name, viewer, build, seconds, section=LISTINGS):
    """``build(levels)`` for ``viewer``'s reading levels, kept as described above
    (until ``section``'s version changes)."""
    levels = tuple(permissions.read_levels(viewer))
    key = f"cafe:listing:{name}:{'-'.join(levels)}:{translation.get_language()}"
    return page_cache.remember(request, key, lambda: build(list(levels)), seconds,
                               sections=(section,), shared=True)


def mark_unread(viewer, debates):
    """Copies of the listed ``debates`` with ``unread`` and ``never_read`` set for
    ``viewer`` (as ``presenters.debates_for_listing`` and ``attach_participants`` do);
    the debates themselves, shared, for a reader without marks."""
    from community import read_marks

    if not viewer.is_authenticated or not debates:
        return debates
    last_read = read_marks.marks(viewer)
    debates = [copy.copy(debate) for debate in debates]
    for debate in debates:
        last = last_read.get(debate.pk)
        debate.last_read_id = -1 if last is None else last
        debate.unread = debate.last_post_id > max(debate.last_read_id, 0)
        debate.never_read = debate.last_read_id == -1
    return debates


def _debates(levels):
    from community.models import Debate
    from community.presenters import debates_for_listing

    # As presenters.debates_for_listing for a reader without unread marks.
    return debates_for_listing(
        Debate.objects.filter(category__read_access__in=levels), AnonymousUser()
    ).order_by("-last_activity_at")


def _readable_categories(levels):
    from community.models import Category

    return Category.objects.originals().filter(read_access__in=levels)


def index_listing(levels):
    """The Café index: categories with their debate counts, the next sessions and the
    latest debates (as ``community.views.index`` showed them)."""
    from community.models import CafeSession
    from community.presenters import attach_participants

    categories = list(
        _readable_categories(levels)
        .annotate(debate_count=Count("debates", distinct=True))
        .order_by("order", "name")
    )
    sessions = list(
        CafeSession.objects.upcoming_or_open()
        .select_related("guest", "category", "debate")
        .filter(category__in=[category.pk for category in categories])[:6]
    )
    return categories, sessions, attach_participants(_debates(levels)[:8])


def home_listing(levels):
    """The home page's Café section: three sessions and four other debates."""
    from community.models import CafeSession
    from community.presenters import attach_participants

    sessions = list(
        CafeSession.objects.upcoming_or_open()
        .filter(category__in=_readable_categories(levels))
        .select_related("guest", "debate")[:3]
    )
    # A session's debate is reached from its card: the list next to it shows others.
    debates = attach_participants(
        _debates(levels).exclude(session__in=[session.pk for session in sessions])[:4]
    )
    return sessions, debates


def page_listing(page_id):
    """The "Debates en el Café" block of a page (``presenters.debates_on_page``)."""

    def build(levels):
        from community.presenters import attach_participants

        return attach_participants(_debates(levels).filter(page_id=page_id)[:10])

    return build


EXPERTS_SECONDS = 600


def expert_ids(request):
    """The ids of every Expert (the badge on their posts), kept per process until a
    group membership changes (``core.member_state`` bumps ``ROLES_SECTION``)."""
    from django.contrib.auth import get_user_model

    from allas_site.accounts import roles
    from allas_site.core.member_state import ROLES_SECTION

    def build():
        through = get_user_model().groups.through
        return set(through.objects.filter(group__name=roles.EXPERTS)
                   .values_list("user_id", flat=True))

    return page_cache.remember(request, "cafe:expert-ids", build, EXPERTS_SECONDS,
                               sections=(ROLES_SECTION,))


# A debate's row and its pages of public posts follow every change of the debate (its
# page cache section); this bounds the rest (an author's new name or picture).
DEBATE_SECONDS = 60


def debate(request, pk, fetch):
    """``fetch(pk)`` (the debate with its category, session, page and author), kept per
    process until the debate changes (posts, moderation, a move: its section)."""
    from community.page_cache import debate_section

    return page_cache.remember(request, f"cafe:debate:{pk}", lambda: fetch(pk),
                               DEBATE_SECONDS, sections=(debate_section(pk),))


def public_posts(request, debate_pk, wanted, per_page):
    """``(count, page number, posts, reaction counts)`` of page ``wanted`` (a number,
    "ultima" or anything ``Paginator.get_page`` accepts) of the debate's visible posts:
    what everyone but moderators and authors of pending posts reads, kept like
    ``debate``. ``None`` for an unusual ``wanted`` (not worth keeping)."""
    from django.core.paginator import Paginator

    from community.models import Post
    from community.page_cache import debate_section
    from community.services import reaction_counts

    if wanted is not None and len(wanted) > 20:
        return None

    def build():
        posts = (Post.objects.public().filter(debate_id=debate_pk)
                 .select_related("author", "quote_of__author").order_by("id"))
        paginator = Paginator(posts, per_page)
        page = paginator.get_page(paginator.num_pages if wanted == "ultima" else wanted)
        listed = list(page.object_list)
        return paginator.count, page.number, listed, reaction_counts([p.pk for p in listed])

    # Shared, not copied: the page wraps the posts (presenters.PostItem), never changes them.
    return page_cache.remember(request, f"cafe:debate-posts:{debate_pk}:{wanted}", build,
                               DEBATE_SECONDS, sections=(debate_section(debate_pk),),
                               shared=True)
