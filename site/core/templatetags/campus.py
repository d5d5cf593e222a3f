from django import template

from allas_site.core import member_state, navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def main_navigation(context):
    request = context.get("request")
    return navigation.main_navigation(request.path if request else "/")


@register.simple_tag(takes_context=True)
def footer_links(context):
    return navigation.footer_links(context.get("request"))


@register.simple_tag(takes_context=True)
def language_links(context):
    return navigation.language_links(context.get("request"), context.get("page"))


@register.simple_tag(takes_context=True)
def shows_admin_link(context):
    return member_state.shows_admin_link(context.get("user"))


@register.simple_tag
def localized_url(path):
    return navigation.localized_path(path)


@register.simple_tag(takes_context=True)
def absolute_url(context, target):
    """A path or a page on the public address (BASE_URL), never the request's host."""
    return navigation.absolute_url(target, context.get("request"))


@register.simple_tag(takes_context=True)
def alternate_links(context, page):
    return navigation.alternate_links(context.get("request"), page)


@register.simple_tag
def search_url():
    return navigation.search_url()


@register.simple_tag
def localized_root_url():
    return navigation.localized_path("/")


@register.filter
def widget_type(bound_field):
    return bound_field.field.widget.__class__.__name__.lower()


@register.simple_tag
def field_widget(bound_field):
    """Render a widget with the ARIA links to its help text and errors."""
    attrs = {}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)
