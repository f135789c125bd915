import html


def page_text(response):
    """The page as a person reads it: HTML entities (&#x27; for an apostrophe…) decoded."""
    return html.unescape(response.content.decode())
