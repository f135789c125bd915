"""How the bank's French text reaches the page: simple Markdown, and the non-breaking spaces of French
typography that the files leave out (bank-format.md). Pure functions."""

import re

from markdown_it import MarkdownIt

NBSP = "\u00a0"

# Bold, italic, `code` and lists; raw HTML, links and images stay text, so the bank cannot put markup of
# its own on a page.
_MARKDOWN = MarkdownIt("zero").enable(["emphasis", "backticks", "list"])

_SPACE_BEFORE = re.compile(r"[ \t]+([:;!?»])")
_SPACE_AFTER_OPENING = re.compile(r"«[ \t]+")
# Glued punctuation gets its space only where it ends a word, so that « 10:30 » or an address stay whole.
_GLUED_BEFORE = re.compile(r"(?<=[^\s\u00a0:;!?«/])([;!?]|:)(?=\s|$|[!?.,)»])")
_GLUED_OPENING = re.compile(r"«(?=[^\s\u00a0])")
_GLUED_CLOSING = re.compile(r"(?<=[^\s\u00a0])»")


def french_spacing(text):
    """A non-breaking space before « : ; ! ? » and inside « », replacing a plain one or added."""
    text = _SPACE_BEFORE.sub(NBSP + r"\1", text)
    text = _SPACE_AFTER_OPENING.sub("«" + NBSP, text)
    text = _GLUED_BEFORE.sub(NBSP + r"\1", text)
    text = _GLUED_OPENING.sub("«" + NBSP, text)
    return _GLUED_CLOSING.sub(NBSP + "»", text)


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
