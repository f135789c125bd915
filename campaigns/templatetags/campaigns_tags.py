from django import template
from django.utils.html import format_html

register = template.Library()

SORT_LABELS = {
    "nom": "nom",
    "prenom": "prénom",
    "date": "date d'envoi",
    "score": "score Pix",
    "certifiable": "certifiabilité",
    "competences": "compétences certifiables",
}


@register.filter
def sort_label(ordering):
    direction = "décroissant" if ordering.startswith("-") else "croissant"
    return f"{SORT_LABELS.get(ordering.lstrip('-'), ordering)}, ordre {direction}"


@register.simple_tag(takes_context=True)
def sort_header(context, key, label):
    """A sortable column header: a real link (it works without JavaScript) with aria-sort."""
    current = context["filters"].ordering
    query = context["query_without_sort"]
    if current == key:
        aria, next_ordering, arrow = "ascending", f"-{key}", " ▲"
    elif current == f"-{key}":
        aria, next_ordering, arrow = "descending", key, " ▼"
    else:
        aria, next_ordering, arrow = "none", f"-{key}" if key in {"date", "score", "competences"} else key, ""
    href = f"?{query}&tri={next_ordering}" if query else f"?tri={next_ordering}"
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="{}" title="Trier par {}">{}{}</a></th>',
        aria,
        href,
        SORT_LABELS[key],
        label,
        arrow,
    )


EVOLUTIONS = {
    1: ("evolution--up", "↑", "en hausse"),
    -1: ("evolution--down", "↓", "en baisse"),
    0: ("", "=", "stable"),
}


@register.simple_tag
def evolution(current, previous):
    """The arrow beside a Pix score that was sent before, with its meaning spelled out for screen readers."""
    css, arrow, words = EVOLUTIONS[(current > previous) - (current < previous)]
    return format_html(
        ' <span class="evolution {}" title="{}, {} pix au précédent envoi">{}'
        '<span class="visually-hidden"> {}, {} au précédent envoi</span></span>',
        css,
        words.capitalize(),
        previous,
        arrow,
        words,
        previous,
    )
