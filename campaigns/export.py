"""CSV export of a campaign, as Pix writes it, streamed row by row.

The file opens right in a French spreadsheet: UTF-8 with a BOM, `;` separators. Cells that a spreadsheet
would run as a formula — headers included, since the external id's label is one — get a leading
apostrophe. Since 2024 Pix writes one row per sending, history included, sorted by name then newest first;
a pupil who has not sent has `NA` in every result cell.

A collection's results are the profile sent (score, certifiability, level and pix of the 16 competences);
an assessment's are the mastery of its target profile, as a whole and competence by competence.
"""

import csv

from django.utils import timezone

from profiles.framework import COMPETENCES

from .assessment import competences_of
from .models import Participation

BOM = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000
NA = "NA"
YES, NO = "Oui", "Non"
DATE_HEADER = "Date et heure de l'envoi (Europe/Paris)"
# Pix gives no identifier that a school can match across exports: ours is the learner's id, the API's
# `learner_id`. Last, so that scripts reading Pix's columns by position keep working.
LEARNER_ID_HEADER = "Identifiant pixorga de l'élève"
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


def header(campaign, target=()):
    """The header row; `target` is an assessment's target profile (selectors.campaign_target_profile)."""
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
    columns += ["Envoi (O/N)", DATE_HEADER]
    columns += _assessment_header(target) if campaign.is_assessment else _profile_header()
    columns.append(LEARNER_ID_HEADER)
    return [neutralize_formula(column) for column in columns]


def _profile_header():
    columns = ["Nombre de pix total", "Certifiable (O/N)", "Nombre de compétences certifiables"]
    for competence in COMPETENCES:
        columns += [
            f"Niveau pour la compétence {competence.name}",
            f"Nombre de pix pour la compétence {competence.name}",
        ]
    return columns


def _assessment_header(target):
    columns = ["% de maîtrise de l'ensemble des acquis du profil"]
    for item in target:
        name = item.competence.name
        columns += [
            f"% de maîtrise des acquis de la compétence {name}",
            f"Nombre d'acquis validés dans la compétence {name}",
        ]
    return columns


IDENTITY_COLUMNS = (
    "learner__last_name",
    "learner__first_name",
    "learner__division",
    "participant_external_id",
    "shared_at",
)
COLUMNS = (
    *IDENTITY_COLUMNS,
    "pix_score",
    "is_certifiable",
    "certifiable_competences_count",
    "snapshot__competences",
    "learner_id",
)
ASSESSMENT_COLUMNS = (*IDENTITY_COLUMNS, "mastery_rate", "assessment_result", "learner_id")


class _Echo:
    def write(self, value):
        return value


class _RowWriter:
    """Builds one CSV row from the values of `columns`; what is the same on every row is computed once."""

    columns = COLUMNS

    def __init__(self, campaign):
        organization = campaign.organization
        self.prefix = [
            neutralize_formula(value)
            for value in (organization.name, campaign.pk, campaign.code, campaign.name)
        ]
        self.with_class = _has_class_column(organization)
        self.with_external_id = bool(campaign.external_id_label)
        self.codes = [competence.code for competence in COMPETENCES]
        self.result_cells = RESULT_CELLS

    def row(self, values):
        last_name, first_name, division, external_id, shared_at, *results, learner_id = values
        row = [*self.prefix, neutralize_formula(last_name), neutralize_formula(first_name)]
        if self.with_class:
            row.append(neutralize_formula(division))
        if self.with_external_id:
            row.append(neutralize_formula(external_id))
        if shared_at is None:
            return [*row, NO, *[NA] * self.result_cells, learner_id]
        date = f"{timezone.localtime(shared_at):%d/%m/%Y %H:%M}"
        return [*row, YES, date, *self.results(*results), learner_id]

    def results(self, score, certifiable, count, competences):
        cells = [score, YES if certifiable else NO, count]
        for code in self.codes:
            result = competences.get(code) or {"level": 0, "pix": 0}
            cells += [result["level"], result["pix"]]
        return cells


class _AssessmentRowWriter(_RowWriter):
    """An assessment's row: the mastery of the target profile, then of each target competence."""

    columns = ASSESSMENT_COLUMNS

    def __init__(self, campaign, target):
        super().__init__(campaign)
        self.codes = [item.competence.code for item in target]
        self.result_cells = 2 + 2 * len(self.codes)

    def results(self, mastery_rate, result):
        cells = [mastery_rate]
        for competence in competences_of(result, self.codes):
            cells += [competence.mastery, competence.validated] if competence else [0, 0]
        return cells


def export_rows(*, campaign, participations, on_finish=None, target=()):
    """Yield the CSV file in chunks of rows: the whole file is never held in memory.

    `on_finish(rows, completed)` is told how many rows left, and whether the file was complete (a
    teacher who closes the tab stops the stream). `target` is an assessment's target profile.
    """
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    rows = _AssessmentRowWriter(campaign, target) if campaign.is_assessment else _RowWriter(campaign)
    count = 0
    completed = False
    try:
        yield BOM + writer.writerow(header(campaign, target))
        chunk = []
        for values in participations.values_list(*rows.columns).iterator(chunk_size=CHUNK_SIZE):
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
