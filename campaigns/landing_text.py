"""The campaign's landing text: Markdown written by a teacher, shown to pupils.

Python-Markdown renders it, then nh3 keeps only the tags simple formatting needs: raw HTML typed by the
teacher, scripts, event handlers and `javascript:` links never reach the pupil's page.
"""

import markdown as markdown_lib
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "h2", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text):
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 — sanitised by nh3 just above
