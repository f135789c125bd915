"""French typography of a page's text: a non-breaking space before : ; ! ? and inside « »."""

import html
import re

from django.utils.html import strip_tags

_FAULTS = [
    (re.compile(r"[^\S\u00a0\n][:;!?](?=\s|$|<)"), "espace ordinaire avant : ; ! ?"),
    (re.compile(r"\w[:;!?](?=\s|$)"), "pas d'espace avant : ; ! ?"),
    (re.compile(r"« |«\w"), "« sans espace insécable"),
    (re.compile(r" »|\w»"), "» sans espace insécable"),
]


def typography_faults(page):
    """The faults of the visible text of `page` (tags, <style>, <script> and <code> left out)."""
    text = re.sub(r"<(style|script|code|pre)\b.*?</\1>", " ", page, flags=re.S)
    text = html.unescape(strip_tags(text))
    faults = []
    for pattern, reason in _FAULTS:
        for match in pattern.finditer(text):
            faults.append(f"{reason}: …{text[max(0, match.start() - 30) : match.end() + 10]!r}…")
    return faults
