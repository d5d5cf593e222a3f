"""Fill a Wagtail admin edit form the way a browser would send it back unchanged, so a
test can change one field and post it."""

from html.parser import HTMLParser

from wagtail.fields import StreamField


class _FormFields(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.depth = 0  # > 0 inside the wanted form
        self.data = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.depth = 1
            return
        if not self.depth:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, [])
            self.data[name].append("")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))

    def handle_data(self, text):
        if self._textarea:
            self.data[self._textarea][-1] += text

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.depth:
            self.depth = 0

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)


def form_data(html, model=None, form_id=None):
    """The fields of the page's form (or of ``form_id``) as a dict of lists for the
    test client. StreamFields are drawn by JavaScript in the browser; for ``model``'s
    StreamFields the data says "no blocks" unless the HTML already had a count."""
    parser = _FormFields(form_id)
    parser.feed(html)
    data = parser.data
    if model is not None:
        for field in model._meta.get_fields():
            if isinstance(field, StreamField):
                data.setdefault(f"{field.name}-count", ["0"])
    return data
