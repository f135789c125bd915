"""The CSV export written by PostgreSQL itself: the yardstick the HTTP export is measured against.

Since issue 11 the console's export streams this very COPY on PostgreSQL (campaigns/export.copy_sql); the
yardstick runs it alone, without HTTP, Django or the header.

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

from django.db import connection

from campaigns.export import copy_sql


def copy_query(campaign):
    """COPY … TO STDOUT of `campaign`'s export rows, without the header line: the export's own query."""
    return copy_sql(campaign)


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
