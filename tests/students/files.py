"""Roster files built by the tests: SIECLE exports (XML, zip), FREGATA and simple CSV files, and the bad
files a teacher (or an attacker) may upload."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from students.factories import SieclePupil, siecle_xml, siecle_zip

UAI = "0061234A"


def pupil(
    ine="1234567890A", last_name="Martin", first_name="Léa", birthdate="21/03/2009", division="2NDE1", **kw
):
    return SieclePupil(
        ine=ine, last_name=last_name, first_name=first_name, birthdate=birthdate, division=division, **kw
    )


def class_of(count, division="2NDE1", start=0):
    return [
        pupil(
            ine=f"{start + n:010d}K",
            last_name=f"Nom{start + n}",
            first_name=f"Prénom{start + n}",
            division=division,
        )
        for n in range(count)
    ]


def xml_file(pupils, uai=UAI, name="ElevesSansAdresses.xml", **kwargs):
    return SimpleUploadedFile(name, siecle_xml(pupils, uai=uai, **kwargs), content_type="text/xml")


def zip_file(pupils, uai=UAI, name="ExportXML_ElevesSansAdresses.zip", **kwargs):
    return SimpleUploadedFile(name, siecle_zip(pupils, uai=uai, **kwargs), content_type="application/zip")


def csv_bytes(
    rows, header=("INE", "Nom", "Prénom", "Date de naissance", "Classe"), encoding="utf-8-sig", sep=";"
):
    lines = [sep.join(header)] + [sep.join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def csv_file(rows, name="eleves.csv", **kwargs):
    return SimpleUploadedFile(name, csv_bytes(rows, **kwargs), content_type="text/csv")


FREGATA_HEADER = (
    "Identifiant unique*",
    "Premier prénom*",
    "Deuxième prénom",
    "Nom de famille*",
    "Nom d'usage",
    "Date de naissance (jj/mm/aaaa)*",
    "Code sexe*",
    "Division*",
)


def billion_laughs():
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    return (
        f'<?xml version="1.0" encoding="ISO-8859-15"?><!DOCTYPE BEE_ELEVES [{entities}]>'
        "<BEE_ELEVES><PARAMETRES><UAJ>&lol9;</UAJ></PARAMETRES></BEE_ELEVES>"
    ).encode("iso-8859-15")


def external_entity():
    return (
        '<?xml version="1.0" encoding="ISO-8859-15"?>'
        '<!DOCTYPE BEE_ELEVES [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        "<BEE_ELEVES><PARAMETRES><UAJ>&secret;</UAJ></PARAMETRES></BEE_ELEVES>"
    ).encode("iso-8859-15")


def zip_bomb(uncompressed_mb=120):
    """A zip of a few hundred kilobytes that would expand to `uncompressed_mb` megabytes of XML."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("ElevesSansAdresses.xml", "w") as member,
    ):
        member.write(b'<?xml version="1.0" encoding="ISO-8859-15"?><BEE_ELEVES><PARAMETRES><UAJ>')
        chunk = b" " * (1024 * 1024)
        for _ in range(uncompressed_mb):
            member.write(chunk)
    return out.getvalue()
