"""How the bank's French text reaches the page: simple Markdown, and the non-breaking spaces of French
typography that the files leave out (bank-format.md). Pure functions."""

from markdown_it import MarkdownIt

from pixorga.typography import french_spaced_markdown

# Bold, italic, `code` and lists; raw HTML, links and images stay text, so the bank cannot put markup of
# its own on a page.
_MARKDOWN = MarkdownIt("zero").enable(["emphasis", "backticks", "list"])


def render_markdown(text):
    """Blocks (paragraphs, lists) as HTML, escaped by the parser."""
    return french_spaced_markdown(_MARKDOWN, text)


def render_inline_markdown(text):
    """A proposal or a title: bold, italic and `code`, no paragraph around it."""
    return french_spaced_markdown(_MARKDOWN, text, inline=True)
