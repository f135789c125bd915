"""Reading a page as a browser and a screen reader do: elements by id or attribute, their text, the cells
of a table by column header. A small tree over the standard library's HTML parser, keeping white space
as the page has it (non-breaking spaces included)."""

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Read aloud apart from their neighbours: their text never sticks to the next element's.
BLOCKS = {"p", "div", "li", "td", "th", "tr", "dt", "dd", "h1", "h2", "h3", "section", "legend", "option"}
ASCII_SPACE = re.compile(r"[ \t\n\r\f]+")


class Element:
    def __init__(self, name, attributes):
        self.name = name
        self.attributes = attributes
        self.children = []

    def __repr__(self):
        return f"<{self.name} {self.attributes}>"


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Element(tag, dict(attrs))
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        if any(node.name == tag for node in self.open[1:]):
            while self.open.pop().name != tag:
                pass

    def handle_data(self, data):
        self.open[-1].children.append(data)


def document(response):
    """The page or htmx fragment under a root element; entities (&#x27;…) decoded."""
    builder = _TreeBuilder()
    builder.feed(response.content.decode())
    builder.close()
    return builder.root


def elements(node, tag=None, **attributes):
    """Every element under `node` (depth first) with this tag and these attribute values; an attribute
    given as True only has to be present, a class only has to be one of the element's classes. Python
    names stand for HTML ones: aria_sort for aria-sort, class_ for class."""
    wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attributes.items()}
    for child in node.children:
        if not isinstance(child, Element):
            continue
        if (tag is None or child.name == tag) and all(
            _matches(child, name, value) for name, value in wanted.items()
        ):
            yield child
        yield from elements(child, tag, **attributes)


def _matches(node, name, value):
    attrs = node.attributes
    if name not in attrs:
        return False
    if value is True:
        return True
    if name == "class":
        return set(value.split()) <= set((attrs[name] or "").split())
    return attrs[name] == value


def element(node, tag=None, **attributes):
    """The one element that matches: zero or several is a failure that says which."""
    found = list(elements(node, tag, **attributes))
    assert len(found) == 1, f"{len(found)} elements <{tag or '*'} {attributes}> instead of one"
    return found[0]


def by_id(node, id_):
    return element(node, id=id_)


def has_id(node, id_):
    return any(True for _ in elements(node, id=id_))


def attr(node, name):
    """The attribute's value; a boolean attribute present without a value gives None, like one absent:
    test its presence with `name in node.attributes`."""
    return node.attributes.get(name)


def text(node):
    """The element's text as read aloud: tags dropped, ASCII white space collapsed, non-breaking spaces
    kept."""
    return ASCII_SPACE.sub(" ", _raw_text(node)).strip(" ")


def _raw_text(node):
    if isinstance(node, str):
        return node
    inner = "".join(_raw_text(child) for child in node.children)
    return f" {inner} " if node.name in BLOCKS else inner


def contains(ancestor, descendant):
    return any(candidate is descendant for candidate in elements(ancestor))


def links(node, label):
    """The hrefs of the links whose text is `label`."""
    return [attr(link, "href") for link in elements(node, "a") if text(link) == label]


def table_rows(table):
    """The body rows of a <table> as {column header: cell text}."""
    # A sorted column's header ends with its arrow: the key is the header without it.
    headers = [text(cell).rstrip(" ▲▼") for cell in elements(element(table, "thead"), "th")]
    rows = []
    for row in elements(element(table, "tbody"), "tr"):
        cells = [
            text(cell) for cell in row.children if isinstance(cell, Element) and cell.name in {"td", "th"}
        ]
        rows.append(dict(zip(headers, cells, strict=True)))
    return rows


def described_by(doc, node):
    """The texts of the elements that `node`'s aria-describedby names; each id must exist."""
    ids = (attr(node, "aria-describedby") or "").split()
    assert ids, f"{node!r} has no aria-describedby"
    return [text(by_id(doc, id_)) for id_ in ids]


def title(doc):
    """The page's <title> (an SVG may hold titles of its own)."""
    return text(element(element(doc, "head"), "title"))


def field_errors(doc, name):
    """The error messages a screen reader reads for the form field `name`: those of the elements that
    the aria-describedby of its control — or of the fieldset around its radios — names. Every named id
    must exist, and the control must say it is invalid."""
    controls = [
        control
        for tag in ("input", "select", "textarea")
        for control in elements(doc, tag, name=name)
        if attr(control, "type") != "hidden"
    ]
    assert controls, f"no control named {name}"
    assert all(attr(control, "aria-invalid") == "true" for control in controls), name
    holder = controls[0]
    if attr(holder, "aria-describedby") is None:
        (holder,) = [fieldset for fieldset in elements(doc, "fieldset") if contains(fieldset, controls[0])]
    ids = (attr(holder, "aria-describedby") or "").split()
    texts = [text(by_id(doc, id_)) for id_ in ids]
    return [message for id_, message in zip(ids, texts, strict=True) if id_.endswith("_error")]


def messages(doc):
    """The messages Django's message framework shows on the page."""
    return [text(message) for message in elements(doc, "p", class_="message")]
