"""CSV export of a profiles-collection campaign, as Pix writes it, streamed row by row.

The file opens right in a French spreadsheet: UTF-8 with a BOM, `;` separators. Cells that a spreadsheet
would run as a formula — headers included, since the external id's label is one — get a leading
apostrophe. Since 2024 Pix writes one row per sending, history included, sorted by name then newest first;
a pupil who has not sent has `NA` in every result cell.
"""

import csv

from django.utils import timezone

from profiles.framework import COMPETENCES

from .models import Participation

BOM = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000
NA = "NA"
YES, NO = "Oui", "Non"
DATE_HEADER = "Date et heure de l'envoi (Europe/Paris)"
RESULT_CELLS = 4 + 2 * len(COMPETENCES)


def neutralize_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def export_filename(campaign, now=None):
    """`Resultats-<name>-<id>-<YYYY-MM-DD-HHmm>.csv`; the response's header encodes any name safely."""
    now = timezone.localtime(now)
    name = "".join(char if char.isprintable() and char not in '/\\"' else "-" for char in campaign.name)
    return f"Resultats-{name}-{campaign.pk}-{now:%Y-%m-%d-%H%M}.csv"


def _has_class_column(organization):
    # Only schools import their pupils with their classes (SIECLE); Pix writes « Classe » for them alone.
    return organization.is_school


def header(campaign):
    columns = [
        "Nom de l'organisation",
        "ID Campagne",
        "Code",
        "Nom de la campagne",
        "Nom du Participant",
        "Prénom du Participant",
    ]
    if _has_class_column(campaign.organization):
        columns.append("Classe")
    if campaign.external_id_label:
        columns.append(campaign.external_id_label)
    columns += [
        "Envoi (O/N)",
        DATE_HEADER,
        "Nombre de pix total",
        "Certifiable (O/N)",
        "Nombre de compétences certifiables",
    ]
    for competence in COMPETENCES:
        columns += [
            f"Niveau pour la compétence {competence.name}",
            f"Nombre de pix pour la compétence {competence.name}",
        ]
    return [neutralize_formula(column) for column in columns]


COLUMNS = (
    "learner__last_name",
    "learner__first_name",
    "learner__division",
    "participant_external_id",
    "shared_at",
    "pix_score",
    "is_certifiable",
    "certifiable_competences_count",
    "snapshot__competences",
)


class _Echo:
    def write(self, value):
        return value


class _RowWriter:
    """Builds one CSV row from the values of COLUMNS; what is the same on every row is computed once."""

    def __init__(self, campaign):
        organization = campaign.organization
        self.prefix = [
            neutralize_formula(value)
            for value in (organization.name, campaign.pk, campaign.code, campaign.name)
        ]
        self.with_class = _has_class_column(organization)
        self.with_external_id = bool(campaign.external_id_label)
        self.codes = [competence.code for competence in COMPETENCES]

    def row(self, values):
        last_name, first_name, division, external_id, shared_at, score, certifiable, count, competences = (
            values
        )
        row = [*self.prefix, neutralize_formula(last_name), neutralize_formula(first_name)]
        if self.with_class:
            row.append(neutralize_formula(division))
        if self.with_external_id:
            row.append(neutralize_formula(external_id))
        if shared_at is None:
            row += [NO] + [NA] * RESULT_CELLS
            return row
        row += [
            YES,
            f"{timezone.localtime(shared_at):%d/%m/%Y %H:%M}",
            score,
            YES if certifiable else NO,
            count,
        ]
        for code in self.codes:
            result = competences.get(code) or {"level": 0, "pix": 0}
            row += [result["level"], result["pix"]]
        return row


def export_rows(*, campaign, participations, on_finish=None):
    """Yield the CSV file in chunks of rows: the whole file is never held in memory.

    `on_finish(rows, completed)` is told how many rows left, and whether the file was complete (a
    teacher who closes the tab stops the stream).
    """
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    rows = _RowWriter(campaign)
    count = 0
    completed = False
    try:
        yield BOM + writer.writerow(header(campaign))
        chunk = []
        for values in participations.values_list(*COLUMNS).iterator(chunk_size=CHUNK_SIZE):
            chunk.append(writer.writerow(rows.row(values)))
            if len(chunk) == CHUNK_SIZE:
                count += len(chunk)
                yield "".join(chunk)
                chunk = []
        if chunk:
            count += len(chunk)
            yield "".join(chunk)
        completed = True
    finally:
        if on_finish is not None:
            on_finish(count, completed)


def export_participations(*, campaign):
    """Every participation that counts, history included, in Pix's order: by name, then newest first."""
    return (
        Participation.objects.filter(campaign=campaign)
        .not_deleted()
        .order_by("learner__last_name", "learner__first_name", "learner_id", "-created_at", "-pk")
    )
