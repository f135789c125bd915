from django import template
from django.utils.safestring import mark_safe

from evaluation.text import render_inline_markdown, render_markdown
from pixorga.typography import french_spacing

register = template.Library()


# The Markdown parser escapes every character of the text it renders (raw HTML is off), so its output is
# safe to mark as such.
@register.filter
def markdown(text):
    return mark_safe(render_markdown(text))  # noqa: S308


@register.filter
def inline_markdown(text):
    return mark_safe(render_inline_markdown(text))  # noqa: S308


@register.filter
def typography(text):
    return french_spacing(str(text))
