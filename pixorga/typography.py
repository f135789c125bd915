"""French typography for templates, loaded as a template builtin (settings.TEMPLATES « builtins »).

- `{{ n }} élève{{ n|plural }}`: French puts 0 and 1 in the singular (« 0 compétence »), unlike
  Django's `pluralize`.
- `french_spacing(text)`: the non-breaking spaces of a text built in Python (the API's messages).
"""

import re

from django import template

register = template.Library()

NBSP = "\u00a0"
_SPACE_BEFORE = re.compile(r"[ \t]+([:;!?»])")
_SPACE_AFTER_OPENING = re.compile(r"«[ \t]+")
# Glued punctuation gets its space only where it ends a word, so that « 10:30 » or an address stay whole.
_GLUED_BEFORE = re.compile(r"(?<=[^\s\u00a0:;!?«/])([;!?]|:)(?=\s|$|[!?.,)»])")
_GLUED_OPENING = re.compile(r"«(?=[^\s\u00a0])")
_GLUED_CLOSING = re.compile(r"(?<=[^\s\u00a0])»")


def french_spaced_markdown(parser, text, *, inline=False):
    """Markdown rendered by a markdown-it `parser` (`inline`: no paragraph around it), with French spacing
    added to its text only: never inside `code`, where « site: » or « if x: » must stay as typed."""
    tokens = (parser.parseInline if inline else parser.parse)(text or "")
    for token in tokens:
        for child in token.children or ():
            if child.type == "text":
                child.content = french_spacing(child.content)
    return parser.renderer.render(tokens, parser.options, {})


def french_spacing(text, *, glued=True):
    """A non-breaking space before « : ; ! ? » and inside « », replacing a plain one or added; for text
    written by people (the question bank, a campaign's landing text)."""
    text = _SPACE_BEFORE.sub(NBSP + r"\1", text)
    text = _SPACE_AFTER_OPENING.sub("«" + NBSP, text)
    if not glued:
        # Messages built in code may quote code (« Authorization: Bearer … »): only plain spaces change.
        return text
    text = _GLUED_BEFORE.sub(NBSP + r"\1", text)
    text = _GLUED_OPENING.sub("«" + NBSP, text)
    return _GLUED_CLOSING.sub(NBSP + "»", text)


@register.filter
def plural(count, suffixes="s"):
    """`""` for 0 and 1, `"s"` above; `"al,aux"` gives the singular and plural endings explicitly."""
    singular, _, many = suffixes.rpartition(",") if "," in suffixes else ("", "", suffixes)
    try:
        return singular if abs(int(count)) <= 1 else many
    except (TypeError, ValueError):
        return singular
