"""The SIECLE export of a school's pupils (ExportXML_ElevesSansAdresses), read incrementally.

The file is an XML document in ISO-8859-15, alone or in a zip. It is parsed as a stream with defusedxml
(no DTD, no entity, no network) and each pupil's element is dropped once read, so memory holds the pupils
found, never the document; the sizes are bounded before and during reading, so a bomb is refused, not run.

    BEE_ELEVES/PARAMETRES/UAJ                          the school's UAI, checked first
    BEE_ELEVES/DONNEES/ELEVES/ELEVE[@ELEVE_ID]          ID_NATIONAL (INE), NOM_DE_FAMILLE, PRENOM,
                                                        DATE_NAISS, CODE_SEXE, DATE_SORTIE
    BEE_ELEVES/DONNEES/STRUCTURES/STRUCTURES_ELEVE[@ELEVE_ID]/STRUCTURE
                                                        CODE_STRUCTURE of TYPE_STRUCTURE « D »: the class
"""

import zipfile
import zlib
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import errors as expat_errors

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from .roster_rows import MAX_UPLOAD_SIZE, MAX_UPLOAD_SIZE_LABEL, BoundedReader, RawPupil, RosterFileError

# A SIECLE export compresses about tenfold; beyond this, an archive is not an export of pupils.
MAX_UNZIPPED_SIZE = 100 * 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
DIVISION_TYPE = "D"

UAI_MISMATCH = "L'UAI du fichier SIECLE ne correspond pas à celui de votre établissement."
NO_UAI = "Le fichier SIECLE n'indique pas d'UAI (PARAMETRES/UAJ) : ce n'est pas un export SIECLE complet."
ORGANIZATION_WITHOUT_UAI = (
    "Votre établissement n'a pas d'UAI enregistré sur pixorga : contactez le support pour le renseigner."
)
NOT_SIECLE = (
    "Ce fichier XML n'est pas un export SIECLE des élèves (la balise BEE_ELEVES est absente). "
    "Exportez « ExportXML_ElevesSansAdresses » depuis SIECLE."
)
FORBIDDEN_XML = (
    "Le fichier contient une déclaration DTD ou des entités XML, refusées par sécurité : "
    "ce n'est pas un export SIECLE."
)
TOO_LARGE = f"Le fichier dépasse la taille maximale de {MAX_UPLOAD_SIZE_LABEL}."
UNZIPPED_TOO_LARGE = (
    "Le fichier contenu dans le .zip dépasse 100 Mo une fois décompressé : ce n'est pas un export SIECLE."
)
BROKEN_ZIP = "Le fichier .zip est incomplet ou endommagé : téléchargez-le de nouveau depuis SIECLE."
ZIP_WITHOUT_XML = "Le fichier .zip ne contient aucun fichier .xml : ce n'est pas un export SIECLE."
ENCRYPTED_ZIP = "Le fichier .zip est protégé par un mot de passe : exportez-le de nouveau sans mot de passe."
# What expat says when the document stops before its end.
_TRUNCATED = {
    expat_errors.codes[expat_errors.XML_ERROR_NO_ELEMENTS],
    expat_errors.codes[expat_errors.XML_ERROR_UNCLOSED_TOKEN],
    expat_errors.codes[expat_errors.XML_ERROR_PARTIAL_CHAR],
}


def _invalid_xml(error):
    line, column = getattr(error, "position", (0, 0))
    if getattr(error, "code", None) in _TRUNCATED:
        return (
            f"Le fichier XML s'arrête avant la fin (ligne {line}) : il est incomplet. "
            "Téléchargez-le de nouveau depuis SIECLE."
        )
    return (
        f"Le fichier n'est pas un fichier XML valide (erreur ligne {line}, colonne {column + 1}). "
        "Vérifiez que vous importez bien l'export SIECLE « ExportXML_ElevesSansAdresses »."
    )


def read_siecle(fileobj, *, uai):
    """The pupils of the SIECLE export in `fileobj` (a seekable binary file, .xml or .zip), in file order.

    Raises RosterFileError when the file is not a readable export of this school.
    """
    if not uai:
        raise RosterFileError(ORGANIZATION_WITHOUT_UAI)
    head = fileobj.read(len(ZIP_MAGIC))
    fileobj.seek(0)
    if head == ZIP_MAGIC:
        return _read_zip(fileobj, uai=uai)
    return _parse(BoundedReader(fileobj, limit=MAX_UPLOAD_SIZE, message=TOO_LARGE), uai=uai)


def _read_zip(fileobj, *, uai):
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise RosterFileError(BROKEN_ZIP) from error
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and info.filename.lower().endswith(".xml")
        ]
        if not members:
            raise RosterFileError(ZIP_WITHOUT_XML)
        member = members[0]
        if member.file_size > MAX_UNZIPPED_SIZE:
            raise RosterFileError(UNZIPPED_TOO_LARGE)
        try:
            with archive.open(member) as raw:
                return _parse(
                    BoundedReader(raw, limit=MAX_UNZIPPED_SIZE, message=UNZIPPED_TOO_LARGE), uai=uai
                )
        except RosterFileError as error:
            if error.__cause__ is not None:
                _check_intact(archive, member)  # a damaged archive reads as bad XML: say which it is
            raise
        except RuntimeError as error:
            raise RosterFileError(ENCRYPTED_ZIP) from error
        except NotImplementedError as error:
            raise RosterFileError(BROKEN_ZIP) from error
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise RosterFileError(BROKEN_ZIP) from error


def _check_intact(archive, member):
    try:
        with archive.open(member) as raw:
            source = BoundedReader(raw, limit=MAX_UNZIPPED_SIZE, message=UNZIPPED_TOO_LARGE)
            while source.read(1024 * 1024):
                pass
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise RosterFileError(BROKEN_ZIP) from error


def _parse(source, *, uai):
    try:
        return _SieclePupils(uai).read(source)
    except DefusedXmlException as error:
        raise RosterFileError(FORBIDDEN_XML) from error
    except ParseError as error:
        raise RosterFileError(_invalid_xml(error)) from error


def _text(element, tag):
    return (element.findtext(tag) or "").strip()


class _SieclePupils:
    """Walks the document once. Only the element of the pupil being read is kept in memory: every
    finished element is removed from its parent as soon as it has been read (or skipped)."""

    RECORDS = {"ELEVE", "STRUCTURES_ELEVE"}

    def __init__(self, uai):
        self.uai = uai.strip().upper()
        self.uai_checked = False
        self.pupils = {}  # ELEVE_ID -> RawPupil, in file order
        self.divisions = {}  # ELEVE_ID -> class code

    def read(self, source):
        stack = []
        record_depth = None
        for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                if not stack and element.tag != "BEE_ELEVES":
                    raise RosterFileError(NOT_SIECLE)
                if record_depth is None and element.tag in self.RECORDS:
                    record_depth = len(stack)
                stack.append(element)
                continue
            stack.pop()
            if element.tag == "UAJ" and stack and stack[-1].tag == "PARAMETRES":
                self._check_uai(element.text)
            elif element.tag == "PARAMETRES" and not self.uai_checked:
                raise RosterFileError(NO_UAI)
            if record_depth is not None and len(stack) > record_depth:
                continue  # a field of the pupil being read: kept until his element ends
            if len(stack) == record_depth:
                self._read_record(element)
                record_depth = None
            if stack:
                stack[-1].remove(element)
        if not self.uai_checked:
            raise RosterFileError(NO_UAI)
        for eleve_id, pupil in self.pupils.items():
            pupil.division = self.divisions.get(eleve_id, "")
        return list(self.pupils.values())

    def _check_uai(self, text):
        found = (text or "").strip().upper()
        if found != self.uai:
            raise RosterFileError(
                UAI_MISMATCH,
                detail=f"UAI du fichier : {found or 'aucun'} ; UAI de votre établissement : {self.uai}.",
            )
        self.uai_checked = True

    def _read_record(self, element):
        eleve_id = element.get("ELEVE_ID", "")
        if element.tag == "ELEVE":
            ine = _text(element, "ID_NATIONAL").upper()
            last_name = _text(element, "NOM_DE_FAMILLE")
            first_name = _text(element, "PRENOM")
            self.pupils.setdefault(
                eleve_id,
                RawPupil(
                    where=f"INE {ine} ({last_name} {first_name})"
                    if ine
                    else f"Élève {last_name} {first_name}",
                    national_student_id=ine,
                    last_name=last_name,
                    first_name=first_name,
                    birthdate=_text(element, "DATE_NAISS"),
                    division="",
                    sex=_text(element, "CODE_SEXE"),
                    exit_date=_text(element, "DATE_SORTIE"),
                ),
            )
        else:
            for structure in element.iter("STRUCTURE"):
                if _text(structure, "TYPE_STRUCTURE") == DIVISION_TYPE:
                    self.divisions[eleve_id] = _text(structure, "CODE_STRUCTURE")
                    break
