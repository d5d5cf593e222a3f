"""What a debate page needs to know about the member reading it, in one query.

Their read mark, draft, whether they follow the debate, have a post awaiting approval
or any reaction in it, or are suspended: six lookups of a row or two each, asked together as
subqueries of the debate's row instead of one round trip (and one query built in
Python) each.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone


@dataclass(frozen=True)
class ReaderState:
    last_read: int | None  # None: never opened this debate
    draft: str | None  # None: no draft saved
    following: bool
    has_pending: bool  # a post of theirs here awaits approval
    suspended: bool
    has_reactions: bool  # any reaction of theirs to a post of this debate


NOBODY = ReaderState(None, None, False, False, False, False)


def reader_state(viewer, debate_pk):
    from community.models import Debate, Draft, Follow, Post, Reaction, ReadState, Suspension

    if not viewer.is_authenticated:
        return NOBODY
    mine = {"user": viewer.pk, "debate": OuterRef("pk")}
    row = (
        Debate.objects.filter(pk=debate_pk)
        .annotate(
            read_mark=Subquery(
                ReadState.objects.filter(**mine).values("last_read_post_id")[:1]
            ),
            read_once=Exists(ReadState.objects.filter(**mine)),
            draft_body=Subquery(Draft.objects.filter(**mine).values("body")[:1]),
            draft_saved=Exists(Draft.objects.filter(**mine)),
            following=Exists(Follow.objects.filter(**mine)),
            has_pending=Exists(Post.objects.filter(
                debate=OuterRef("pk"), author=viewer.pk, status=Post.Status.PENDING
            )),
            suspended=Exists(Suspension.objects.filter(user=viewer.pk,
                                                       until__gt=timezone.now())),
            has_reactions=Exists(Reaction.objects.filter(
                user=viewer.pk, post__debate=OuterRef("pk")
            )),
        )
        .values("read_mark", "read_once", "draft_body", "draft_saved", "following",
                "has_pending", "suspended", "has_reactions")
        .first()
    )
    if row is None:
        return NOBODY
    return ReaderState(
        last_read=row["read_mark"] if row["read_once"] else None,
        draft=row["draft_body"] if row["draft_saved"] else None,
        following=row["following"],
        has_pending=row["has_pending"],
        suspended=row["suspended"],
        has_reactions=row["has_reactions"],
    )
