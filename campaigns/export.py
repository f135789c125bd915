"""CSV export of a campaign, as Pix writes it, streamed row by row.

The file opens right in a French spreadsheet: UTF-8 with a BOM, `;` separators. Cells that a spreadsheet
would run as a formula — headers included, since the external id's label is one — get a leading
apostrophe. Since 2024 Pix writes one row per sending, history included, sorted by name then newest first;
a pupil who has not sent has `NA` in every result cell.

A collection's results are the profile sent (score, certifiability, level and pix of the 16 competences);
an assessment's are the mastery of its target profile, as a whole and competence by competence.
"""

import csv

from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import Organization
from profiles.framework import COMPETENCES
from profiles.models import ProfileSnapshot
from students.models import OrganizationLearner

from .assessment import competences_of
from .models import Campaign, Participation

BOM = "\ufeff"
# PostgreSQL's COPY ends its lines with a line feed; the Python path writes the same file.
LINE_END = "\n"
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
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator=LINE_END)
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


def export_all(*, campaign, on_finish=None, target=()):
    """The whole export of `campaign`. On PostgreSQL the database writes the rows itself (COPY … TO STDOUT,
    streamed through psycopg), which spares Python 50,000 rows of formatting; elsewhere Python writes the
    very same file (a test compares them byte for byte)."""
    if connection.vendor == "postgresql" and not campaign.is_assessment:
        return _copy_rows(campaign, on_finish)
    participations = export_participations(campaign=campaign)
    return export_rows(campaign=campaign, participations=participations, on_finish=on_finish, target=target)


def _copy_rows(campaign, on_finish):
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator=LINE_END)
    rows = 0
    completed = False
    try:
        yield BOM + writer.writerow(header(campaign))
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            with cursor.copy(copy_sql(campaign)) as copy:
                for block in copy:
                    yield bytes(block)
            rows = max(cursor.rowcount, 0)
        completed = True
    finally:
        if on_finish is not None:
            on_finish(rows, completed)


def _literal(value):
    return "'" + value.replace("'", "''") + "'"


def _text(expression):
    """A text cell, neutralised as `neutralize_formula` does; an empty text becomes NULL, because COPY
    quotes an empty string ("") where Python's csv writes nothing."""
    triggers = ", ".join(_literal(trigger) for trigger in FORMULA_TRIGGERS)
    quote = _literal("'")
    return (
        f"NULLIF(CASE WHEN left({expression}, 1) IN ({triggers}) THEN {quote} || {expression} "
        f"ELSE {expression} END, '')"
    )


def _sent(expression):
    """A result cell: `NA` for a pupil who has not sent."""
    return f"CASE WHEN p.shared_at IS NULL THEN {_literal(NA)} ELSE ({expression})::text END"


def copy_sql(campaign):
    """`COPY (…) TO STDOUT` of the rows `export_rows` writes for `campaign`, formatted by PostgreSQL: the
    same columns, cells and order (header left out)."""
    columns = [_text("o.name"), "c.id", _text("c.code"), _text("c.name")]
    columns += [_text("l.last_name"), _text("l.first_name")]
    if _has_class_column(campaign.organization):
        columns.append(_text("l.division"))
    if campaign.external_id_label:
        columns.append(_text("p.participant_external_id"))
    yes, no = _literal(YES), _literal(NO)
    results = [
        f"to_char(p.shared_at AT TIME ZONE {_literal(settings.TIME_ZONE)}, 'DD/MM/YYYY HH24:MI')",
        "p.pix_score",
        f"CASE WHEN p.is_certifiable THEN {yes} ELSE {no} END",
        "p.certifiable_competences_count",
    ]
    for competence in COMPETENCES:
        for key in ("level", "pix"):
            results.append(f"COALESCE(s.competences -> {_literal(competence.code)} ->> {_literal(key)}, '0')")
    columns += [f"CASE WHEN p.shared_at IS NULL THEN {no} ELSE {yes} END", *map(_sent, results), "l.id"]
    select = ",\n  ".join(columns)
    return (
        f"COPY (SELECT\n  {select}\n"
        f"FROM {Participation._meta.db_table} p\n"
        f"JOIN {Campaign._meta.db_table} c ON c.id = p.campaign_id\n"
        f"JOIN {Organization._meta.db_table} o ON o.id = c.organization_id\n"
        f"JOIN {OrganizationLearner._meta.db_table} l ON l.id = p.learner_id\n"
        f"LEFT JOIN {ProfileSnapshot._meta.db_table} s ON s.id = p.snapshot_id\n"
        f"WHERE p.campaign_id = {int(campaign.pk)} AND p.deleted_at IS NULL\n"
        f"ORDER BY l.last_name, l.first_name, l.id, p.created_at DESC, p.id DESC\n"
        f") TO STDOUT WITH (FORMAT csv, DELIMITER ';')"
    )
