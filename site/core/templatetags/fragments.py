"""``{% shared_fragment "name" value … %}…{% endshared_fragment %}``: markup that is the
same for every visitor, rendered once and then copied.

The block is rendered for nobody in particular (an anonymous copy of the request, no
user, no CSRF token, no notification count), so a member's name or count can never end
up in it: put personal parts outside the block. It is kept in this process per name,
the given values, host, language and time zone, until the page cache's site-wide
version changes (publishing, moving, deleting pages, saving a site, topic or partner)
or FRAGMENT_SECONDS pass. A page preview (a draft) renders the block afresh.

``{% shared_fragment "name" value … with_csrf %}`` keeps the block's forms: their
``{% csrf_token %}`` is rendered as a slot in the kept copy and filled with this
request's token when it is copied out.

``{% member_fragment "name" value … %}`` is the same for one member: rendered with the
member's own context, kept per member and given values, with forms kept as above. The
values must name everything the block shows that can change (their name, photo, counts):
the block is not rendered again until one of them or the site-wide version changes.
"""

import hashlib

from django import template
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from allas_site.core import page_cache
from allas_site.core.home_sections import anonymous_request

register = template.Library()

FRAGMENT_SECONDS = 600
# What a kept block holds where the request's CSRF token goes (no markup to escape).
CSRF_SLOT = "csrf-slot-2b7e9c41"


class SharedFragmentNode(template.Node):
    def __init__(self, name, values, nodelist, with_csrf=False):
        self.name, self.values, self.nodelist = name, values, nodelist
        self.with_csrf = with_csrf

    def whose(self, context):
        """What, besides the values, makes a kept copy different: nobody's here."""
        return ""

    def build(self, context, slot):
        with context.push(user=AnonymousUser(), request=anonymous_request(context["request"]),
                          csrf_token=slot, unread_notifications=0, perms=None):
            return self.nodelist.render(context)

    def render(self, context):
        request = context.get("request")
        # A preview shows a draft: never kept, never served from what was kept.
        if request is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        parts = [
            str(self.name.resolve(context)),
            self.whose(context),
            request.get_host(),
            settings.BASE_URL,  # absolute addresses (canonical links, citations) use it
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            *(str(value.resolve(context)) for value in self.values),
        ]
        # The token itself is asked for only when the block shows a form: asking sets
        # the CSRF cookie, and a page with a new cookie is not kept for anonymous readers.
        slot = CSRF_SLOT if self.with_csrf and "csrf_token" in context else None
        parts.append("csrf" if slot else "")
        key = "fragment:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        html = page_cache.remember(request, key, lambda: self.build(context, slot),
                                   FRAGMENT_SECONDS)
        if slot and CSRF_SLOT in html:
            given = str(context["csrf_token"] or "")
            # The token is letters and digits: nothing to escape.
            html = mark_safe(html.replace(CSRF_SLOT, "" if given == "NOTPROVIDED" else given))  # noqa: S308
        return html


class MemberFragmentNode(SharedFragmentNode):
    def whose(self, context):
        user = context.get("user")
        if user is None or not user.is_authenticated:
            return "nobody"
        return f"member:{user.pk}"

    def build(self, context, slot):
        with context.push(csrf_token=slot):
            return self.nodelist.render(context)


def _fragment_tag(parser, token, node_class, end):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name")
    with_csrf = bits[-1] == "with_csrf"
    if with_csrf:
        bits = bits[:-1]
    nodelist = parser.parse((end,))
    parser.delete_first_token()
    return node_class(
        parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]],
        nodelist, with_csrf,
    )


@register.tag
def shared_fragment(parser, token):
    return _fragment_tag(parser, token, SharedFragmentNode, "endshared_fragment")


@register.tag
def member_fragment(parser, token):
    # A member's forms always keep their token (the slot), so there is no with_csrf.
    node = _fragment_tag(parser, token, MemberFragmentNode, "endmember_fragment")
    node.with_csrf = True
    return node
