from django import template

from allas_site.publications.covers import cover_for

register = template.Library()


@register.inclusion_tag("components/publications/cover.html")
def publication_cover(publication, variant="card", topics=None):
    """The uploaded cover, or the generated one (series colour, number, pictogram).
    ``topics``: the publication's topics when the page has read them already."""
    return {"publication": publication, "cover": cover_for(publication, topics),
            "variant": variant}
