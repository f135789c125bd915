"""Reading a page as a browser and a screen reader do: elements by id or attribute, their text, the cells
of a table by column header. Built on Django's own HTML parser (django.test.html), no new dependency."""

from django.test.html import Element, Parser


def document(response):
    """The parsed page or htmx fragment, under a root element; entities (&#x27;…) are decoded in texts
    and attribute values."""
    parser = Parser()
    parser.feed(response.content.decode())
    parser.close()
    parser.root.finalize()
    return parser.root


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
    attrs = dict(node.attributes)
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
    return dict(node.attributes).get(name)


def text(node):
    """The element's text as read aloud: tags dropped, white space collapsed."""
    if isinstance(node, str):
        return node
    return " ".join(" ".join(text(child) for child in node.children).split())


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
    assert ids, f"<{node.name} {dict(node.attributes)}> has no aria-describedby"
    return [text(by_id(doc, id_)) for id_ in ids]


def title(doc):
    """The page's <title> (an SVG may hold titles of its own)."""
    return text(element(element(doc, "head"), "title"))
