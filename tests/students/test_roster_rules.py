"""The rules of the roster, checked on the whole file before anything is written: which pupils are
skipped, which errors refuse the file, and how each is told to the teacher."""

import datetime
import io

import pytest

from students import roster
from students.roster_csv import read_csv
from students.roster_rows import RawPupil, RosterFileError
from tests.students.files import FREGATA_HEADER, csv_bytes


def raw(**fields):
    values = {
        "where": "Ligne 2",
        "national_student_id": "1234567890A",
        "last_name": "Martin",
        "first_name": "Léa",
        "birthdate": "21/03/2009",
        "division": "2NDE1",
        "sex": "2",
    }
    values.update(fields)
    return RawPupil(**values)


def validate_siecle(*pupils):
    return roster.roster_validate(list(pupils), siecle=True)


def validate_csv(*pupils):
    return roster.roster_validate(list(pupils), siecle=False)


def test_valid_pupil_is_kept_with_his_birthdate_and_sex():
    validation = validate_siecle(raw())
    assert validation.errors == [] and validation.skipped == 0
    (pupil,) = validation.pupils
    assert pupil.birthdate == datetime.date(2009, 3, 21)
    assert pupil.sex == "F"


@pytest.mark.parametrize(
    "fields",
    [
        {"national_student_id": ""},
        {"exit_date": "15/10/2025"},
        {"division": ""},
        {"division": "Inactifs"},
        {"division": "INACTIFS"},
    ],
    ids=["no-ine", "exit-date", "no-division", "inactifs", "inactifs-upper-case"],
)
def test_siecle_skips_pupils_pix_does_not_import(fields):
    validation = validate_siecle(raw(**fields))
    assert validation.pupils == [] and validation.errors == []
    assert validation.skipped == 1


def test_skipped_pupils_do_not_hide_valid_ones():
    validation = validate_siecle(raw(national_student_id=""), raw(national_student_id="2234567890B"))
    assert len(validation.pupils) == 1 and validation.skipped == 1


def test_impossible_date_refuses_the_file_and_names_the_pupil():
    validation = validate_siecle(raw(where="INE 1234567890A (Martin Léa)", birthdate="31/02/2009"))
    assert validation.errors == [
        {
            "where": "INE 1234567890A (Martin Léa)",
            "messages": ["La date de naissance « 31/02/2009 » n'existe pas."],
        }
    ]


@pytest.mark.parametrize(
    ("birthdate", "reason"),
    [
        ("", "La date de naissance est manquante."),
        ("2009-03-21", "La date de naissance « 2009-03-21 » n'est pas au format jj/mm/aaaa."),
        ("２１/０３/２００９", "La date de naissance « ２１/０３/２００９ » n'est pas au format jj/mm/aaaa."),
        ("٢١/٠٣/٢٠٠٩", "La date de naissance « ٢١/٠٣/٢٠٠٩ » n'est pas au format jj/mm/aaaa."),
        ("21/03/1850", "La date de naissance « 21/03/1850 » n'est pas plausible."),
    ],
    ids=["missing", "iso", "fullwidth-digits", "arabic-digits", "implausible"],
)
def test_birthdate_must_be_a_real_ascii_date(birthdate, reason):
    assert validate_siecle(raw(birthdate=birthdate)).errors[0]["messages"] == [reason]


@pytest.mark.parametrize(
    ("sex", "reason"),
    [("", "Le code sexe est manquant."), ("X", "Le code sexe « X » n'est pas valide (1 ou 2, M ou F).")],
)
def test_missing_or_unknown_sex_refuses_the_file(sex, reason):
    assert validate_siecle(raw(sex=sex)).errors[0]["messages"] == [reason]


@pytest.mark.parametrize(("code", "sex"), [("1", "M"), ("2", "F"), ("M", "M"), ("f", "F"), ("H", "M")])
def test_sex_codes_of_siecle_and_fregata(code, sex):
    assert validate_siecle(raw(sex=code)).pupils[0].sex == sex


def test_simple_csv_has_no_sex_column_and_needs_none():
    validation = validate_csv(raw(sex=None))
    assert validation.pupils[0].sex == ""


def test_duplicate_ine_refuses_the_file_and_lists_both_lines():
    validation = validate_csv(raw(where="Ligne 2"), raw(where="Ligne 5", first_name="Hugo"))
    assert validation.pupils[0].first_name == "Léa"  # the pupils are valid one by one…
    assert validation.errors == [  # …but the file is refused
        {
            "where": "Ligne 2",
            "messages": ["L'INE 1234567890A apparaît plusieurs fois dans le fichier (Ligne 2, Ligne 5)."],
        },
        {
            "where": "Ligne 5",
            "messages": ["L'INE 1234567890A apparaît plusieurs fois dans le fichier (Ligne 2, Ligne 5)."],
        },
    ]


def test_every_faulty_pupil_is_listed_with_all_his_reasons():
    validation = validate_siecle(
        raw(where="A", birthdate="31/02/2009", sex=""),
        raw(where="B", national_student_id="2234567890B"),
        raw(where="C", national_student_id="3234567890C", last_name="", first_name=""),
    )
    assert [(e["where"], len(e["messages"])) for e in validation.errors] == [("A", 2), ("C", 2)]
    assert validation.errors[1]["messages"] == ["Le nom est manquant.", "Le prénom est manquant."]


def test_csv_pupil_without_ine_or_class_is_an_error_not_a_skip():
    validation = validate_csv(raw(national_student_id="", where="Ligne 2"), raw(division="", where="Ligne 3"))
    assert validation.skipped == 0
    assert [e["messages"] for e in validation.errors] == [
        ["L'INE est manquant."],
        ["La classe est manquante."],
    ]


def test_ine_with_other_characters_is_refused():
    messages = validate_csv(raw(national_student_id="12345 67890")).errors[0]["messages"]
    assert messages == ["L'INE « 12345 67890 » n'est pas valide (20 lettres ou chiffres au plus)."]


# CSV files


def read(data):
    return read_csv(io.BytesIO(data))


def test_simple_csv_in_utf8_with_bom():
    file_format, pupils = read(csv_bytes([("1234567890a", "Lefèvre", "Éloïse", "01/02/2009", "2NDE1")]))
    assert file_format == "CSV"
    assert (pupils[0].national_student_id, pupils[0].last_name, pupils[0].first_name) == (
        "1234567890A",
        "Lefèvre",
        "Éloïse",
    )
    assert pupils[0].where == "Ligne 2"


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_simple_csv_in_utf8_without_bom_or_windows_1252(encoding):
    _, pupils = read(
        csv_bytes([("1234567890A", "Lefèvre", "Chloé", "01/02/2009", "2NDE1")], encoding=encoding)
    )
    assert pupils[0].last_name == "Lefèvre" and pupils[0].first_name == "Chloé"


def test_comma_separated_csv_and_headers_in_any_case_or_order():
    data = csv_bytes(
        [("2NDE1", "Chloé", "Martin", "01/02/2009", "1234567890A")],
        header=("classe", "PRENOM", "nom", "Date de Naissance", "ine"),
        sep=",",
    )
    _, pupils = read(data)
    assert (pupils[0].division, pupils[0].first_name, pupils[0].last_name) == ("2NDE1", "Chloé", "Martin")


def test_blank_lines_are_ignored_and_lines_are_counted_from_the_header():
    _, pupils = read(
        csv_bytes(
            [
                ("1234567890A", "Martin", "Léa", "01/02/2009", "2NDE1"),
                ("", "", "", "", ""),
                ("2234567890A", "Petit", "Hugo", "01/02/2009", "2NDE1"),
            ]
        )
    )
    assert [pupil.where for pupil in pupils] == ["Ligne 2", "Ligne 4"]


def test_fregata_csv_is_recognised_by_its_headers():
    data = csv_bytes(
        [("1234567890A", "Léa", "", "Martin", "", "21/03/2009", "F", "2NDE1")], header=FREGATA_HEADER
    )
    file_format, pupils = read(data)
    assert file_format == "FREGATA"
    assert (pupils[0].first_name, pupils[0].last_name, pupils[0].sex, pupils[0].division) == (
        "Léa",
        "Martin",
        "F",
        "2NDE1",
    )


def test_csv_with_a_missing_column_is_refused_and_names_it():
    data = csv_bytes([("1234567890A", "Martin", "Léa", "2NDE1")], header=("INE", "Nom", "Prénom", "Classe"))
    with pytest.raises(RosterFileError) as caught:
        read(data)
    assert caught.value.message == "Colonne manquante : « Date de naissance »."


def test_fregata_with_missing_columns_names_them_all():
    header = tuple(h for h in FREGATA_HEADER if h not in {"Code sexe*", "Division*"})
    with pytest.raises(RosterFileError) as caught:
        read(csv_bytes([], header=header))
    assert caught.value.message == "Colonnes manquantes : « Code sexe », « Division »."


@pytest.mark.parametrize(
    "data",
    [
        "INE;Nom;Prénom;Date de naissance;Classe\r\n".encode("utf-16"),
        b"INE;Nom;Pr\x81nom;Date de naissance;Classe\r\n",
    ],
    ids=["utf-16", "undefined-in-windows-1252"],
)
def test_csv_in_another_encoding_is_refused(data):
    with pytest.raises(RosterFileError) as caught:
        read(data)
    assert "ni en UTF-8 ni en Windows-1252" in caught.value.message


def test_empty_csv_is_refused():
    with pytest.raises(RosterFileError, match="vide"):
        read(b"")


def test_csv_with_an_unclosed_quote_is_refused_with_its_line():
    data = b'INE;Nom;Pr\xc3\xa9nom;Date de naissance;Classe\r\n1;"Martin;L\xc3\xa9a;01/01/2009;2NDE1\r\n'
    with pytest.raises(RosterFileError, match="ligne"):
        read(data)
