"""What a debate page needs to know about the member reading it, in one query.

Their read mark, draft, whether they follow the debate, have a post awaiting approval
or any reaction in it, or are suspended: six lookups of a row or two each, asked together
in one statement instead of one round trip each.

The statement is written in SQL and built once per process: composed with the ORM
(eight subqueries), building and compiling it took ~4 ms of Python per signed-in debate
page, four times the database's own work. It uses only portable SQL (LEFT JOIN, EXISTS),
so the same text runs on SQLite and PostgreSQL; table and column names come from the
models.

Its answers are kept per member (``core.member_state``, read in the page's first cache
round trip): a map of debate -> state, retired whenever the member's read marks, drafts,
follows, reactions, posts or suspensions change (signals here; ``services`` retires it
after its ``update()`` calls). A suspended member's state is never kept: a suspension
ends with time, not with a write.
"""

from dataclasses import dataclass
from functools import cache
from operator import attrgetter

from django.db import connection
from django.utils import timezone

from allas_site.core import member_state


@dataclass(frozen=True)
class ReaderState:
    last_read: int | None  # None: never opened this debate
    draft: str | None  # None: no draft saved
    following: bool
    has_pending: bool  # a post of theirs here awaits approval
    suspended: bool
    has_reactions: bool  # any reaction of theirs to a post of this debate


NOBODY = ReaderState(None, None, False, False, False, False)
KEPT_NAME = "cafe-reader-states"
KEPT_SECONDS = 300


# Names in braces are the models' quoted tables ({Post}) and columns ({Post.debate}).
# ReadState and Draft hold at most one row per member and debate (unique constraints),
# so a LEFT JOIN reads that row or NULLs; its id says whether it exists.
STATEMENT = """
SELECT rs.{ReadState.id}, rs.{ReadState.last_read_post_id}, dr.{Draft.id}, dr.{Draft.body},
       EXISTS (SELECT 1 FROM {Follow} f
               WHERE f.{Follow.user} = %s AND f.{Follow.debate} = d.{Debate.id}),
       EXISTS (SELECT 1 FROM {Post} p
               WHERE p.{Post.debate} = d.{Debate.id} AND p.{Post.author} = %s
                 AND p.{Post.status} = %s),
       EXISTS (SELECT 1 FROM {Suspension} s
               WHERE s.{Suspension.user} = %s AND s.{Suspension.until} > %s),
       EXISTS (SELECT 1 FROM {Reaction} r JOIN {Post} rp ON rp.{Post.id} = r.{Reaction.post}
               WHERE r.{Reaction.user} = %s AND rp.{Post.debate} = d.{Debate.id})
FROM {Debate} d
LEFT JOIN {ReadState} rs ON rs.{ReadState.debate} = d.{Debate.id} AND rs.{ReadState.user} = %s
LEFT JOIN {Draft} dr ON dr.{Draft.debate} = d.{Debate.id} AND dr.{Draft.user} = %s
WHERE d.{Debate.id} = %s
"""


class _Names:
    """A model's quoted table name, and its quoted column names as attributes."""

    def __init__(self, model):
        self.model = model

    def __str__(self):
        return connection.ops.quote_name(self.model._meta.db_table)

    def __getattr__(self, field):
        return connection.ops.quote_name(self.model._meta.get_field(field).column)


@cache
def _statement(vendor):
    """STATEMENT with its names filled in, once per database vendor."""
    from community import models

    names = {name: _Names(getattr(models, name))
             for name in ("Debate", "Draft", "Follow", "Post", "Reaction", "ReadState",
                          "Suspension")}
    return STATEMENT.format(**names)


def reader_state(viewer, debate_pk):
    if not viewer.is_authenticated:
        return NOBODY
    debate_pk = int(debate_pk)
    states = member_state.kept(viewer, KEPT_NAME, dict, KEPT_SECONDS)
    state = states.get(debate_pk)
    if state is None:
        state = _read(viewer, debate_pk)
        if state is not NOBODY and not state.suspended:
            member_state.store(viewer, KEPT_NAME, {**states, debate_pk: state}, KEPT_SECONDS)
    return state


def forget(user_pk):
    member_state.forget(user_pk, KEPT_NAME)


def _read(viewer, debate_pk):
    from community.models import Post

    user = viewer.pk
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_statement(connection.vendor), [
            user, user, Post.Status.PENDING.value, user, now, user, user, user, debate_pk,
        ])
        row = cursor.fetchone()
    if row is None:
        return NOBODY
    read_id, last_read, draft_id, draft, following, pending, suspended, reactions = row
    return ReaderState(
        last_read=last_read if read_id is not None else None,
        draft=draft if draft_id is not None else None,
        following=bool(following),
        has_pending=bool(pending),
        suspended=bool(suspended),
        has_reactions=bool(reactions),
    )


def connect():
    from community.models import Draft, Follow, Post, Reaction, ReadState, Suspension

    # A post's author: a new post, or a pending one approved or hidden.
    member_state.keep(KEPT_NAME, retired_by=[
        (Post, attrgetter("author_id")),
        *((model, attrgetter("user_id"))
          for model in (Draft, Follow, Reaction, ReadState, Suspension)),
    ])
