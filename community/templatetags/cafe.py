"""Café slots that other pages include: ``{% load cafe %}{% page_debates page %}``.

``page_debates`` renders the debates attached to a Wagtail page (a Cuaderno, a course,
a lesson) that the current user may read, and a "Debatir" button that opens a new
debate attached to it.
"""

import functools

from django import template
from django.template.loader import render_to_string
from django.utils import timezone

register = template.Library()

# The block follows every change to a page's debates; this bounds the rest.
PAGE_DEBATES_SECONDS = 300


@register.simple_tag(takes_context=True)
def page_debates(context, page):
    from community import listings
    from community.page_cache import PAGE_BLOCKS

    request = context.get("request")
    if request is None or page is None or not getattr(page, "pk", None):
        return ""
    # The page's debates are kept per reading level (community.listings) until a
    # debate attached to a page changes; only a member's unread marks are read here.
    debates = listings.kept(request, f"page-{page.pk}", request.user,
                            listings.page_listing(page.pk), PAGE_DEBATES_SECONDS,
                            section=PAGE_BLOCKS)
    # Rendered in a context of its own, like render_to_string with the request, but
    # without running every context processor again (the block needs none of them).
    template = context.template.engine.get_template("components/cafe/page_debates.html")
    return template.render(context.new({
        "page": page, "debates": listings.mark_unread(request.user, debates),
        "request": request, "user": request.user,
    }))


@register.simple_tag
def reaction_icon(kind):
    """``components/cafe/reaction_icon.html`` for ``kind``: the same markup every time,
    so it is rendered once per kind and process instead of included per reaction."""
    return _reaction_icon(str(kind))


@functools.lru_cache(maxsize=32)
def _reaction_icon(kind):
    return render_to_string("components/cafe/reaction_icon.html", {"kind": kind})


@register.simple_tag(takes_context=True)
def debate_row_key(context, debate):
    """Everything ``components/cafe/debate_row.html`` shows of ``debate``, for its
    ``shared_fragment``: a row is rendered again as soon as any of it changes, the
    reader's unread marks and the minute of its relative time included."""
    show_category = context.get("show_category")
    seconds = (debate.last_activity_at - timezone.now()).total_seconds()
    category = debate.category
    return repr((
        debate.pk, debate.title, debate.is_pinned, debate.is_locked, debate.reply_count,
        getattr(debate, "unread", False), getattr(debate, "never_read", False),
        debate.last_activity_at.isoformat(), seconds > 0, int(abs(seconds) // 60),
        (category.slug, category.display_name) if show_category else None,
        context.get("heading_level") or 3,
        [(person.pk, person.public_name, person.photo.name)
         for person in getattr(debate, "participants", ())],
    ))


@register.simple_tag
def reactions_key(item):
    """What a post's reaction buttons or counts show (each kind's count and whether the
    reader chose it), for their ``shared_fragment``."""
    return repr(tuple((reaction["kind"], reaction["count"], reaction["mine"])
                      for reaction in item.reactions))


@register.simple_tag
def post_actions_key(item, may_react, can_reply, template_mode):
    """What a post's reactions and its reader's links show (components/cafe/post.html),
    for their ``shared_fragment``."""
    return repr((
        item.post.pk, bool(may_react), bool(can_reply), bool(template_mode), item.can_edit,
        item.can_report, reactions_key(item),
    ))


@register.simple_tag
def post_head_key(item):
    """Everything the head, quote and text of ``components/cafe/post.html`` show, for
    their ``shared_fragment`` (the actions below depend on the reader and stay out)."""
    post, author = item.post, item.post.author
    return repr((
        post.pk, post.status, post.created_at.isoformat(),
        post.edited_at.isoformat() if post.edited_at else None, post.body_html,
        (author.pk, author.public_name, author.photo.name) if author else None,
        item.expert, item.quote,
    ))
