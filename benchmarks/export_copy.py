"""The CSV export written by PostgreSQL itself: the yardstick the HTTP export is measured against.

`copy_query` selects the rows and columns `campaigns/export.py` writes, formatted by SQL: one row per
participation (sendings and history, the removed ones left out) in the same order, the learner's id
last, `Oui`/`Non`, dates
as DD/MM/YYYY HH:MM in the project's time zone, `NA` in every result cell of a pupil who has not sent, 0
for a competence missing from the snapshot, and the formula neutralisation of text cells. The benchmark
checks in every run that both files hold the same cells; when the export changes, this query must
follow, and the check says so until it does.
"""

import csv
import io

from django.conf import settings
from django.db import connection

from accounts.models import Organization
from campaigns.export import FORMULA_TRIGGERS, NA, NO, RESULT_CELLS, YES
from campaigns.models import Campaign, Participation
from profiles.framework import COMPETENCES
from profiles.models import ProfileSnapshot
from students.models import OrganizationLearner


def _literal(value):
    return "'" + value.replace("'", "''") + "'"


def _text(expression):
    """A text cell: neutralised like a spreadsheet formula when it starts with a trigger; an empty text
    becomes NULL because COPY quotes an empty string ("") where Python's csv writes nothing."""
    triggers = ", ".join(_literal(trigger) for trigger in FORMULA_TRIGGERS)
    return (
        f"NULLIF(CASE WHEN left({expression}, 1) IN ({triggers}) THEN '''' || {expression} "
        f"ELSE {expression} END, '')"
    )


def _sent(expression):
    """A result cell: `NA` for a pupil who has not sent."""
    return f"CASE WHEN p.shared_at IS NULL THEN {_literal(NA)} ELSE ({expression})::text END"


def copy_query(campaign):
    """COPY … TO STDOUT of `campaign`'s export rows, without the header line."""
    organization = campaign.organization
    columns = [
        _text("o.name"),
        "c.id",
        _text("c.code"),
        _text("c.name"),
        _text("l.last_name"),
        _text("l.first_name"),
    ]
    if organization.is_school:
        columns.append(_text("l.division"))
    if campaign.external_id_label:
        columns.append(_text("p.participant_external_id"))
    yes, no = _literal(YES), _literal(NO)
    time_zone = _literal(settings.TIME_ZONE)
    results = [
        f"to_char(p.shared_at AT TIME ZONE {time_zone}, 'DD/MM/YYYY HH24:MI')",
        "p.pix_score",
        f"CASE WHEN p.is_certifiable THEN {yes} ELSE {no} END",
        "p.certifiable_competences_count",
    ]
    for competence in COMPETENCES:
        for key in ("level", "pix"):
            results.append(f"COALESCE(s.competences -> {_literal(competence.code)} ->> {_literal(key)}, '0')")
    if len(results) != RESULT_CELLS:
        raise RuntimeError(f"the export writes {RESULT_CELLS} result cells, this query {len(results)}")
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


def copy_export(campaign, *, sink=None):
    """Run the COPY on Django's connection; return the bytes it wrote, or hand each block to `sink`."""
    connection.ensure_connection()
    chunks = []
    with connection.connection.cursor() as cursor, cursor.copy(copy_query(campaign)) as copy:
        for block in copy:
            (sink or chunks.append)(bytes(block))
    return b"".join(chunks)


def same_cells(export_body, copy_body):
    """'' when the export (header and BOM left out) and the COPY hold the same cells, else where they part."""
    export_rows = list(csv.reader(io.StringIO(export_body.decode("utf-8-sig")), delimiter=";"))[1:]
    copy_rows = list(csv.reader(io.StringIO(copy_body.decode("utf-8")), delimiter=";"))
    if len(export_rows) != len(copy_rows):
        return f"the export has {len(export_rows):,} rows, the COPY {len(copy_rows):,}"
    for number, (ours, theirs) in enumerate(zip(export_rows, copy_rows, strict=True), start=1):
        if ours != theirs:
            column = next(
                (
                    index
                    for index, cells in enumerate(zip(ours, theirs, strict=False))
                    if cells[0] != cells[1]
                ),
                min(len(ours), len(theirs)),
            )
            return (
                f"row {number} differs from column {column + 1}: export {ours[column : column + 3]} "
                f"({len(ours)} columns), COPY {theirs[column : column + 3]} ({len(theirs)} columns)"
            )
    return ""
