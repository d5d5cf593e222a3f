"""Group names and event payloads of the Café sockets (one helper per name)."""

from django.contrib.auth import get_user_model
from django.utils.text import Truncator

from allas_site.accounts import roles
from community.sanitizer import plain_text

QUOTE_EXCERPT_CHARS = 240


def debate_group(debate_id):
    """Everyone reading the debate (they passed the read check before joining)."""
    return f"cafe.debate.{int(debate_id)}"


def moderators_group(debate_id):
    """Moderators reading the debate: pending posts and reports."""
    return f"cafe.debate.{int(debate_id)}.mod"


def expert_ids(user_ids):
    """Which of ``user_ids`` are Experts, in one query."""
    user_ids = {pk for pk in user_ids if pk}
    if not user_ids:
        return set()
    through = get_user_model().groups.through
    return set(
        through.objects.filter(user_id__in=user_ids, group__name=roles.EXPERTS).values_list(
            "user_id", flat=True
        )
    )


def quote_summary(quoted):
    if quoted is None:
        return None
    if quoted.status != "visible":
        return {"id": quoted.pk, "author": "", "excerpt": "", "hidden": True}
    return {
        "id": quoted.pk,
        "author": quoted.author.public_name if quoted.author else "",
        "excerpt": Truncator(plain_text(quoted.body_html)).chars(QUOTE_EXCERPT_CHARS),
        "hidden": False,
    }


def post_payload(post, experts=None):
    """What a socket client needs to show a post. ``body_html`` is already cleaned."""
    author = post.author
    if experts is None:
        is_expert = bool(author and author.is_expert)
    else:
        is_expert = bool(author and author.pk in experts)
    return {
        "id": post.pk,
        "debate": post.debate_id,
        "url": post.get_absolute_url(),
        "status": post.status,
        "author": {
            "id": author.pk if author else None,
            "name": author.public_name if author else "",
            "initials": author.initials if author else "?",
            "photo": author.photo.url if author and author.photo else "",
            "expert": is_expert,
        },
        "created_at": post.created_at.isoformat(),
        "edited": post.edited_at is not None,
        "body_html": post.body_html,
        "quote": quote_summary(post.quote_of) if post.quote_of_id else None,
    }
