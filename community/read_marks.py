"""A member's read marks on every debate they opened, kept per member.

Listings outside a debate (the home page's Café section, the Café index, the debates
linked from a page) show which debates have posts the member has not read. Their marks
are kept as one map (debate -> last read post) in ``core.member_state``, read in the
page's first round trip to the cache instead of one query per listing; a mark that
moves (``services.do_mark_read``) or is deleted retires the map.
"""

from operator import attrgetter

from allas_site.core import member_state

NAME = "cafe-read-marks"
SECONDS = 600


def marks(user):
    """{debate id: last read post id} for every debate ``user`` opened."""
    from community.models import ReadState

    return member_state.kept(user, NAME, lambda: dict(
        ReadState.objects.filter(user=user).values_list("debate_id", "last_read_post_id")
    ), SECONDS)


def forget(user_pk):
    member_state.forget(user_pk, NAME)


def connect():
    from community.models import ReadState

    member_state.keep(NAME, retired_by=[(ReadState, attrgetter("user_id"))])
