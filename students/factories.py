import datetime
import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import factory

from accounts.factories import OrganizationFactory

from .models import OrganizationLearner


class OrganizationLearnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationLearner

    organization = factory.SubFactory(OrganizationFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    birthdate = factory.Sequence(lambda n: datetime.date(2008, 1, 1) + datetime.timedelta(days=n))
    division = "2NDE1"
    national_student_id = factory.Sequence(lambda n: f"{n:010d}AB")


@dataclass
class SieclePupil:
    """One pupil of a SIECLE file built for tests, the benchmark and the demo; texts as they are written."""

    ine: str
    last_name: str
    first_name: str
    birthdate: str  # jj/mm/aaaa, or anything a test wants to see refused
    division: str
    sex: str = "1"
    exit_date: str = ""
    eleve_id: str = ""


def _tag(name, value):
    return f"<{name}>{escape(value)}</{name}>" if value else f"<{name}/>"


def write_siecle(out, pupils, *, uai, year="2026", encoding="ISO-8859-15", padding=0):
    """Write a SIECLE export (BEE_ELEVES) of `pupils` to the binary stream `out`, one pupil at a time.

    Each ELEVE carries the fields SIECLE puts there besides the ones pixorga reads, so that the size of a
    generated file is close to a real one's for the same number of pupils; `padding` adds that many
    characters of such fields to each pupil.
    """
    pupils = list(pupils)
    for number, pupil in enumerate(pupils, start=1):
        pupil.eleve_id = pupil.eleve_id or str(100000 + number)

    def write(text):
        out.write(text.encode(encoding))

    write(f'<?xml version="1.0" encoding="{encoding}"?>\n<BEE_ELEVES VERSION="3.2">\n')
    write(f"<PARAMETRES>{_tag('UAJ', uai)}{_tag('ANNEE_SCOLAIRE', year)}")
    write(f"{_tag('DATE_EXPORT', '01/09/' + year)}{_tag('HORODATAGE', '01/09/' + year + ' 08:00:00')}")
    write("</PARAMETRES>\n")
    write("<DONNEES>\n<ELEVES>\n")
    for pupil in pupils:
        write(
            f"<ELEVE ELEVE_ID={quoteattr(pupil.eleve_id)} ELENOET={quoteattr(pupil.eleve_id)}>"
            f"{_tag('ID_NATIONAL', pupil.ine)}{_tag('ELENOET', pupil.eleve_id)}"
            f"{_tag('NOM_DE_FAMILLE', pupil.last_name)}{_tag('NOM_USAGE', '')}"
            f"{_tag('PRENOM', pupil.first_name)}{_tag('PRENOM2', '')}{_tag('PRENOM3', '')}"
            f"{_tag('DATE_NAISS', pupil.birthdate)}{_tag('CODE_SEXE', pupil.sex)}"
            f"{_tag('CODE_PAYS', '100')}{_tag('CODE_DEPARTEMENT_NAISS', '006')}"
            f"{_tag('CODE_COMMUNE_INSEE_NAISS', '06088')}{_tag('VILLE_NAISS', 'NICE')}"
            f"{_tag('CODE_REGIME', '2')}{_tag('DOUBLEMENT', '0')}{_tag('CODE_STATUT', 'ST')}"
            f"{_tag('DATE_ENTREE', '02/09/' + year)}{_tag('DATE_SORTIE', pupil.exit_date)}"
            f"{_tag('CODE_MEF', '20010010110')}{_tag('CODE_PROVENANCE', '')}"
            "<SCOLARITE_AN_DERNIER><CODE_RNE>0060000A</CODE_RNE><DENOM_PRINC>COLLEGE</DENOM_PRINC>"
            "<DENOM_COMPL>JEAN JAURES</DENOM_COMPL><LL_COMMUNE_INSEE>NICE</LL_COMMUNE_INSEE>"
            "</SCOLARITE_AN_DERNIER>"
            f"{_tag('OBSERVATIONS', 'x' * padding)}</ELEVE>\n"
        )
    write("</ELEVES>\n<OPTIONS/>\n<STRUCTURES>\n")
    for pupil in pupils:
        structures = [("GRP-LV2", "G")]
        if pupil.division:
            structures.insert(0, (pupil.division, "D"))
        structures = "".join(
            f"<STRUCTURE>{_tag('CODE_STRUCTURE', code)}{_tag('TYPE_STRUCTURE', kind)}</STRUCTURE>"
            for code, kind in structures
        )
        write(f"<STRUCTURES_ELEVE ELEVE_ID={quoteattr(pupil.eleve_id)}>{structures}</STRUCTURES_ELEVE>\n")
    write("</STRUCTURES>\n</DONNEES>\n</BEE_ELEVES>\n")


def siecle_xml(pupils, *, uai, **kwargs):
    out = io.BytesIO()
    write_siecle(out, pupils, uai=uai, **kwargs)
    return out.getvalue()


def siecle_zip(pupils, *, uai, member="ElevesSansAdresses.xml", **kwargs):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, siecle_xml(pupils, uai=uai, **kwargs))
    return out.getvalue()
