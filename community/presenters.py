"""What the Café pages show, built with a fixed number of queries whatever the size."""

import functools
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import translation

from community import permissions
from community.events import expert_ids, quote_summary
from community.models import Category, Debate, Post, Reaction, ReadState
from community.services import reaction_counts


@functools.lru_cache(maxsize=16)
def _reaction_labels(language):
    return tuple((kind, str(label)) for kind, label in Reaction.Kind.choices)


def reaction_labels():
    """Each kind of reaction and its label in the current language: translated once per
    language and process, not once per post."""
    return _reaction_labels(translation.get_language())


@dataclass
class PostItem:
    post: Post
    expert: bool = False
    counts: dict = field(default_factory=dict)
    mine: set = field(default_factory=set)
    quote: dict | None = None
    can_edit: bool = False
    can_report: bool = False

    @cached_property
    def reactions(self):
        return [
            {
                "kind": kind,
                "label": label,
                "count": self.counts.get(kind, 0),
                "mine": kind in self.mine,
            }
            for kind, label in reaction_labels()
        ]


def post_items(posts, viewer, *, may_reply, experts=None, counts=None, reacted=True):
    """Decorate a page of posts (select_related author and quote_of__author) of one
    debate; ``may_reply`` is ``permissions.can_reply`` for it (authors edit under the
    same rule, see ``permissions.why_not_edit``). ``experts`` (the ids of every Expert)
    and ``counts`` (``services.reaction_counts`` of these posts), when the caller has
    them; else they are read. ``reacted=False``: the caller knows the viewer has no
    reaction in this debate (their own reactions are not read then)."""
    posts = list(posts)
    ids = [post.pk for post in posts]
    if experts is None:
        experts = expert_ids(post.author_id for post in posts)
    if counts is None:
        counts = reaction_counts(ids)
    mine = {}
    if viewer.is_authenticated and ids and reacted:
        for post_id, kind in Reaction.objects.filter(post_id__in=ids, user=viewer).values_list(
            "post_id", "kind"
        ):
            mine.setdefault(post_id, set()).add(kind)
    is_mod = permissions.is_moderator(viewer)
    may_report = permissions.is_member(viewer) and not permissions.is_suspended(viewer)
    items = []
    for post in posts:
        own = viewer.is_authenticated and post.author_id == viewer.pk
        items.append(
            PostItem(
                post=post,
                expert=post.author_id in experts,
                counts=counts.get(post.pk, {}),
                mine=mine.get(post.pk, set()),
                quote=quote_summary(post.quote_of) if post.quote_of_id else None,
                can_edit=is_mod or (own and post.status != Post.Status.HIDDEN and may_reply),
                can_report=may_report and not own,
            )
        )
    return items


def debates_for_listing(queryset, viewer):
    """Debates annotated with the viewer's last read post (unread markers)."""
    if viewer.is_authenticated:
        last_read = ReadState.objects.filter(user=viewer, debate=OuterRef("pk")).values(
            "last_read_post_id"
        )[:1]
        queryset = queryset.annotate(
            last_read_id=Coalesce(Subquery(last_read), Value(-1), output_field=IntegerField())
        )
    return queryset.select_related("category", "session")


def attach_participants(debates):
    """Set ``debate.participants`` (users, newest first) with one query for the page."""
    debates = list(debates)
    wanted = {pk for debate in debates for pk in debate.participant_ids}
    people = get_user_model().objects.in_bulk(wanted) if wanted else {}
    for debate in debates:
        debate.participants = [people[pk] for pk in debate.participant_ids if pk in people]
        last_read = getattr(debate, "last_read_id", None)
        debate.unread = last_read is not None and debate.last_post_id > max(last_read, 0)
        debate.never_read = last_read == -1
    return debates


def categories_for_index(viewer):
    return (
        Category.objects.visible_to(viewer)
        .annotate(debate_count=Count("debates", distinct=True))
        .order_by("order", "name")
    )


def first_unread_post_id(viewer, debate, last_read_id):
    return (
        Post.objects.visible_to(viewer)
        .filter(debate=debate, id__gt=last_read_id)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )


def page_number_of(viewer, debate, post_id, per_page):
    before = Post.objects.visible_to(viewer).filter(debate=debate, id__lt=post_id).count()
    return before // per_page + 1


def debates_on_page(viewer, page):
    return attach_participants(
        debates_for_listing(
            Debate.objects.visible_to(viewer).filter(page=page), viewer
        ).order_by("-last_activity_at")[:10]
    )


def member_matches(viewer, query, limit=8):
    User = get_user_model()
    query = query.strip().lstrip("@")
    if len(query) < 1:
        return []
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(display_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(cafe_settings__handle__istartswith=query)
        )
        .exclude(pk=viewer.pk)
        .order_by("display_name")[:limit]
    )
