from django import template
from django.utils.html import format_html

from pixorga.typography import plural

register = template.Library()

SORT_LABELS = {
    "nom": "nom",
    "classe": "classe",
    "participations": "nombre de participations",
    "certificabilite": "certificabilité",
}


@register.simple_tag
def count_of(count, singular, many):
    """The number and its noun, joined by a non-breaking space, in pixorga.typography's singular or
    plural: « 0 élève », « 1 élève », « 2 élèves »."""
    return f"{count}\u00a0{plural(count, f'{singular},{many}')}"


@register.filter
def learner_sort_label(ordering):
    direction = "décroissant" if ordering.startswith("-") else "croissant"
    return f"{SORT_LABELS.get(ordering.lstrip('-'), ordering)}, ordre {direction}"


@register.simple_tag(takes_context=True)
def learner_sort_header(context, key, label):
    """A sortable column header: a real link (it works without JavaScript) with aria-sort."""
    current = context["filters"].ordering
    query = context["query_without_sort"]
    if current == key:
        aria, next_ordering, arrow = "ascending", f"-{key}", " ▲"
    elif current == f"-{key}":
        aria, next_ordering, arrow = "descending", key, " ▼"
    else:
        aria, next_ordering, arrow = "none", f"-{key}" if key == "participations" else key, ""
    href = f"?{query}&tri={next_ordering}" if query else f"?tri={next_ordering}"
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="{}" title="Trier par {}">{}{}</a></th>',
        aria,
        href,
        SORT_LABELS[key],
        label,
        arrow,
    )
