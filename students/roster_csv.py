"""Roster CSV files: the agricultural schools' FREGATA export, and pixorga's simple CSV (the template the
import page offers). UTF-8, with or without BOM, or Windows-1252 (what Excel writes for « CSV (séparateur :
point-virgule) »); `;`, `,` or tab separators. Read as a stream, one row at a time."""

import codecs
import csv
import io

from .names import normalize_name
from .roster_rows import MAX_UPLOAD_SIZE, MAX_UPLOAD_SIZE_LABEL, BoundedReader, RawPupil, RosterFileError

CHUNK_SIZE = 64 * 1024
ENCODINGS = ("utf-8-sig", "cp1252")
DELIMITERS = (";", ",", "\t")

# The simple CSV: its header, in the order of the template.
SIMPLE_COLUMNS = {
    "national_student_id": "INE",
    "last_name": "Nom",
    "first_name": "Prénom",
    "birthdate": "Date de naissance",
    "division": "Classe",
}
# FREGATA: the columns pixorga reads (an asterisk marks them mandatory in the export); others are ignored.
FREGATA_COLUMNS = {
    "national_student_id": "Identifiant unique*",
    "first_name": "Premier prénom*",
    "last_name": "Nom de famille*",
    "birthdate": "Date de naissance (jj/mm/aaaa)*",
    "sex": "Code sexe*",
    "division": "Division*",
}

WRONG_ENCODING = (
    "Le fichier CSV n'est encodé ni en UTF-8 ni en Windows-1252. Dans votre tableur, enregistrez-le au "
    "format « CSV UTF-8 (délimité par des points-virgules) », puis importez-le de nouveau."
)
EMPTY_FILE = "Le fichier CSV est vide : il doit commencer par une ligne d'en-têtes de colonnes."
TOO_LARGE = f"Le fichier dépasse la taille maximale de {MAX_UPLOAD_SIZE_LABEL}."
UNREADABLE = (
    "Le fichier CSV est illisible à partir de la ligne {line} (guillemet non fermé ou cellule trop longue) : "
    "enregistrez-le de nouveau depuis votre tableur."
)


def _header_key(text):
    return normalize_name(text.replace("*", ""))


def _encoding(fileobj):
    """The first of ENCODINGS that decodes the whole file; UTF-16 (NUL bytes) is refused outright."""
    for encoding in ENCODINGS:
        fileobj.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        reader = BoundedReader(fileobj, limit=MAX_UPLOAD_SIZE, message=TOO_LARGE)
        try:
            while chunk := reader.read(CHUNK_SIZE):
                if b"\x00" in chunk:
                    raise RosterFileError(WRONG_ENCODING)
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        fileobj.seek(0)
        return encoding
    raise RosterFileError(WRONG_ENCODING)


def _delimiter(header_line):
    return max(DELIMITERS, key=header_line.count)


def read_csv(fileobj):
    """(format, pupils) of the roster CSV in `fileobj`: format is "FREGATA" or "CSV"."""
    encoding = _encoding(fileobj)
    text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")
    try:
        header_line = text.readline()
        if not header_line.strip():
            raise RosterFileError(EMPTY_FILE)
        text.seek(0)
        rows = csv.reader(text, delimiter=_delimiter(header_line), strict=True)
        header = [_header_key(cell) for cell in next(rows)]
        file_format, columns = _columns(header)
        return file_format, list(_pupils(rows, columns, with_sex=file_format == "FREGATA"))
    finally:
        text.detach()


def _columns(header):
    keys = set(header)
    if _header_key(FREGATA_COLUMNS["national_student_id"]) in keys:
        file_format, expected = "FREGATA", FREGATA_COLUMNS
    else:
        file_format, expected = "CSV", SIMPLE_COLUMNS
    missing = [label.rstrip("*") for label in expected.values() if _header_key(label) not in keys]
    if missing:
        names = ", ".join(f"« {label} »" for label in missing)
        noun = "Colonne manquante" if len(missing) == 1 else "Colonnes manquantes"
        raise RosterFileError(
            f"{noun} : {names}.",
            detail="Colonnes attendues : "
            + " ; ".join(label.rstrip("*") for label in expected.values())
            + ".",
        )
    return file_format, {field: header.index(_header_key(label)) for field, label in expected.items()}


def _pupils(rows, columns, *, with_sex):
    try:
        for cells in rows:
            if not any(cell.strip() for cell in cells):
                continue

            def cell(field, cells=cells):
                index = columns[field]
                return cells[index].strip() if index < len(cells) else ""

            yield RawPupil(
                where=f"Ligne {rows.line_num}",
                national_student_id=cell("national_student_id").upper(),
                last_name=cell("last_name"),
                first_name=cell("first_name"),
                birthdate=cell("birthdate"),
                division=cell("division"),
                sex=cell("sex") if with_sex else None,
            )
    except csv.Error as error:
        raise RosterFileError(UNREADABLE.format(line=rows.line_num)) from error
