"""The campaign's landing text: Markdown written by a teacher, shown to pupils.

markdown-it-py renders it with raw HTML turned off, French spacing is added to its text, then nh3 keeps
only the tags simple formatting needs: HTML typed by the teacher, scripts, event handlers and
`javascript:` links never reach the pupil's page.
"""

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from pixorga.typography import french_spaced_markdown

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(["image"])
ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "h2", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text):
    html = french_spaced_markdown(_MARKDOWN, text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 — sanitised by nh3 just above
