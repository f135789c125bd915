"""How the bank's French text reaches the page: simple Markdown, and the non-breaking spaces of French
typography that the files leave out (bank-format.md). Pure functions."""

from markdown_it import MarkdownIt

from pixorga.typography import french_spacing

# Bold, italic, `code` and lists; raw HTML, links and images stay text, so the bank cannot put markup of
# its own on a page.
_MARKDOWN = MarkdownIt("zero").enable(["emphasis", "backticks", "list"])


def _spaced(tokens):
    for token in tokens:
        for child in token.children or ():
            if child.type == "text":
                child.content = french_spacing(child.content)
    return tokens


def render_markdown(text):
    """Blocks (paragraphs, lists) as HTML, escaped by the parser."""
    return _MARKDOWN.renderer.render(_spaced(_MARKDOWN.parse(text)), _MARKDOWN.options, {})


def render_inline_markdown(text):
    """A proposal or a title: bold, italic and `code`, no paragraph around it."""
    return _MARKDOWN.renderer.render(_spaced(_MARKDOWN.parseInline(text)), _MARKDOWN.options, {})
