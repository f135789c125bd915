from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from campaigns.filters import COMPETENCE_SORT_PREFIX
from campaigns.landing_text import render_markdown

register = template.Library()

DESCENDING_FIRST = {"date", "score", "competences", "manque", "envois", "maitrise"}


def _descending_first(key):
    return key in DESCENDING_FIRST or key.startswith(COMPETENCE_SORT_PREFIX)


@register.simple_tag(takes_context=True)
def sort_header(context, filterset, key, label, detail=""):
    """A sortable column header: a real link (it works without JavaScript) with aria-sort, and an id that
    lets the focus come back to it once htmx has replaced the table. `detail` completes a short label
    for screen readers (a competence's name after its code)."""
    current = filterset.ordering
    query = context["query_without_sort"]
    if current == key:
        aria, next_ordering, arrow = "ascending", f"-{key}", " ▲"
    elif current == f"-{key}":
        aria, next_ordering, arrow = "descending", key, " ▼"
    else:
        aria, arrow = "none", ""
        next_ordering = f"-{key}" if _descending_first(key) else key
    sort = urlencode({"tri": next_ordering})
    href = f"?{query}&{sort}" if query else f"?{sort}"
    hidden = format_html('<span class="visually-hidden"> {}</span>', detail) if detail else ""
    return format_html(
        '<th scope="col" aria-sort="{}"><a id="tri-{}" href="{}" title="Trier par {}">{}{}{}</a></th>',
        aria,
        key.replace(".", "-"),
        href,
        filterset.sort_labels[key],
        label,
        hidden,
        arrow,
    )


EVOLUTIONS = {
    1: ("evolution--up", "↑", "en hausse"),
    -1: ("evolution--down", "↓", "en baisse"),
    0: ("evolution--stable", "=", "stable"),
}


@register.simple_tag
def evolution(current, previous):
    """The trend of a Pix score sent before, with the previous score in text for everyone."""
    css, arrow, words = EVOLUTIONS[(current > previous) - (current < previous)]
    return format_html(
        '<span class="evolution {}"><span aria-hidden="true">{}</span> {}<span class="evolution__previous">'
        " (avant : {})</span></span>",
        css,
        arrow,
        words.capitalize(),
        previous,
    )


@register.filter
def markdown(text):
    return render_markdown(text)


ASSESSMENT_TAG = mark_safe(' <span class="tag tag--blue">Évaluation</span>')


def _person(user):
    return user.get_full_name() or user.username


@register.simple_tag
def campaign_rows(campaigns):
    """The rows of the campaign list, built in Python: at fifty rows a page, a row template costs more than
    the page's queries."""
    detail = reverse("campaigns:detail", args=[0])[: -len("0/")]
    return format_html_join(
        "\n",
        '<tr><td><a href="{}{}/">{}</a>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td>'
        "<td>{}</td><td>{}</td></tr>",
        (
            (
                detail,
                campaign.pk,
                campaign.name,
                ASSESSMENT_TAG if campaign.is_assessment else "",
                campaign.code,
                _person(campaign.creator),
                _person(campaign.owner),
                f"{timezone.localtime(campaign.created_at):%d/%m/%Y}",
                campaign.participants_count,
                campaign.received_count,
            )
            for campaign in campaigns
        ),
    )


FIRST_SENDING = mark_safe(
    '<span class="visually-hidden">Premier envoi</span><span aria-hidden="true">–</span>'
)
CERTIFIABLE_TAG = mark_safe('<span class="tag tag--green">Certifiable</span>')
NOT_CERTIFIABLE_TAG = mark_safe('<span class="tag tag--red">Non certifiable</span>')


def _missing(count):
    if not count:
        return "0"
    ending = "s" if count > 1 else ""
    return format_html(
        '<span class="missing">{}<span class="visually-hidden"> compétence{} manquante{}</span></span>',
        count,
        ending,
        ending,
    )


@register.simple_tag
def result_rows(rows, campaign, query):
    """The rows of a collection's Résultats, built in Python like the campaign list's: the same cells the
    columns announce, for 25 to 100 rows a page."""
    prefix = reverse("campaigns:participant", args=[campaign.pk, 0])[: -len("0/")]
    suffix = f"?{query}" if query else ""
    school = campaign.organization.is_school
    external_id = bool(campaign.external_id_label)
    multiple = campaign.multiple_sendings

    def cells(row):
        yield format_html('<td><a href="{}{}/{}">{}</a></td>', prefix, row.pk, suffix, row.learner.last_name)
        yield format_html("<td>{}</td>", row.learner.first_name)
        if school:
            yield format_html("<td>{}</td>", row.learner.division or "–")
        if external_id:
            yield format_html("<td>{}</td>", row.participant_external_id or "–")
        yield format_html("<td>{}</td>", f"{timezone.localtime(row.shared_at):%d/%m/%Y}")
        yield format_html("<td>{}</td>", row.pix_score)
        if multiple:
            trend = (
                evolution(row.pix_score, row.previous_pix_score)
                if row.previous_pix_score is not None
                else FIRST_SENDING
            )
            yield format_html("<td>{}</td><td>{}</td>", trend, row.sending_number)
        yield format_html("<td>{}</td>", CERTIFIABLE_TAG if row.is_certifiable else NOT_CERTIFIABLE_TAG)
        yield format_html(
            "<td>{}</td><td>{}</td>", row.certifiable_competences_count, _missing(row.missing_competences)
        )
        relaunched = getattr(row, "relaunched_at", None)
        yield format_html(
            "<td>{}</td>", f"relancé le {timezone.localtime(relaunched):%d/%m/%Y}" if relaunched else "–"
        )

    return format_html_join("\n", "<tr>{}</tr>", ((mark_safe("".join(cells(row))),) for row in rows))  # noqa: S308
