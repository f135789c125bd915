"""Template helpers for long lists, loaded as a template builtin (settings.TEMPLATES « builtins »).

A rectorat's roster holds a thousand classes or more: rendering each checkbox through a widget template,
or even a template loop, costs a quarter of a second, where building the HTML here costs milliseconds.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

CHECKED = mark_safe(" checked")

register = template.Library()


@register.simple_tag
def checkbox_list(name, choices, selected, id_prefix):
    """`<label class="checkbox"><input type="checkbox" …> label</label>` for each `(value, label)` of
    `choices` (or each value, when they are plain strings), ticked when the value is in `selected`."""
    chosen = {str(value) for value in selected or ()}
    pairs = ((choice, choice) if isinstance(choice, str) else choice for choice in choices)
    return format_html_join(
        "",
        '<label class="checkbox" for="{0}_{1}">'
        '<input type="checkbox" name="{2}" value="{3}" id="{0}_{1}"{4}> {5}</label>',
        (
            (id_prefix, index, name, value, CHECKED if str(value) in chosen else "", label)
            for index, (value, label) in enumerate(pairs)
        ),
    )


@register.simple_tag
def option_list(values):
    """`<option>value</option>` for each value: a class picker of a thousand classes, built in Python."""
    return format_html_join("", "<option>{}</option>", ((value,) for value in values))


# Up to this many classes, a searchable list of checkboxes (a lycée has up to fifty); beyond it (a
# rectorat's campaign spans a thousand), the teacher types the classes he wants: the page stays the same
# size whatever the number of classes, and the « Par classe » table names them.
CHECKBOX_LIMIT = 60
SEARCH_FROM = 8


@register.simple_tag
def class_picker(name, choices, selected, id_prefix, label="Classes"):
    """The classes of a filter: checkboxes for a school, a text field (comma-separated) beyond the limit."""
    choices = list(choices)
    if len(choices) <= CHECKBOX_LIMIT:
        return checkbox_list(name, choices, selected, id_prefix)
    return format_html(
        '<label for="{0}_typed">{1}</label>'
        '<input type="text" name="{2}" id="{0}_typed" value="{3}" aria-describedby="{0}_typed_help" '
        'autocomplete="off" spellcheck="false">'
        '<p class="help" id="{0}_typed_help">Saisissez une ou plusieurs des {4} classes, séparées par des '
        "virgules, par exemple {5}.</p>",
        id_prefix,
        label,
        name,
        ", ".join(str(value) for value in selected or ()),
        len(choices),
        ", ".join(str(choice if isinstance(choice, str) else choice[0]) for choice in choices[:2]),
    )


@register.filter
def wants_class_search(classes):
    """A search box helps between a handful of checkboxes and the typed field of a long list."""
    return SEARCH_FROM < len(classes) <= CHECKBOX_LIMIT


@register.simple_tag
def class_choice(name, classes, id_):
    """One class to pick: a list for a school, a typed name past CHECKBOX_LIMIT (same reason as above).
    The label is the template's, `for` the given id."""
    classes = list(classes)
    if len(classes) <= CHECKBOX_LIMIT:
        return format_html('<select id="{}" name="{}">{}</select>', id_, name, option_list(classes))
    return format_html(
        '<input type="text" id="{0}" name="{1}" autocomplete="off" spellcheck="false" '
        'placeholder="par exemple {2}">',
        id_,
        name,
        classes[0],
    )
