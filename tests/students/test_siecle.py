"""The SIECLE parser, on files built here: what it reads, and every bad file it must refuse without
running it."""

import io
import struct
import time
import tracemalloc
import zipfile

import pytest

from students import siecle
from students.factories import siecle_xml, siecle_zip, write_siecle
from students.roster_rows import MAX_UPLOAD_SIZE, RosterFileError
from tests.students.files import UAI, billion_laughs, class_of, external_entity, pupil, zip_bomb


def read(data, uai=UAI):
    return siecle.read_siecle(io.BytesIO(data), uai=uai)


def refusal(data, uai=UAI):
    with pytest.raises(RosterFileError) as caught:
        read(data, uai=uai)
    return caught.value


def test_reads_each_pupil_with_his_class_from_the_structures():
    pupils = read(
        siecle_xml(
            [
                pupil(ine="1234567890a", last_name="Lefèvre-Roux", first_name="Éloïse", division="2NDE1"),
                pupil(ine="2234567890B", last_name="N'Diaye", first_name="Œuvre", sex="2", division="TG2"),
            ],
            uai=UAI,
        )
    )
    assert [(p.national_student_id, p.last_name, p.first_name, p.division, p.sex) for p in pupils] == [
        ("1234567890A", "Lefèvre-Roux", "Éloïse", "2NDE1", "1"),
        ("2234567890B", "N'Diaye", "Œuvre", "TG2", "2"),
    ]
    assert pupils[0].birthdate == "21/03/2009"
    assert pupils[0].where == "INE 1234567890A (Lefèvre-Roux Éloïse)"


def test_reads_the_xml_inside_the_zip_siecle_exports():
    pupils = read(siecle_zip(class_of(3), uai=UAI))
    assert len(pupils) == 3


def test_a_zip_renamed_xml_is_still_read_as_a_zip():
    assert len(read(siecle_zip(class_of(2), uai=UAI))) == 2


def test_pupil_without_a_division_structure_has_no_class():
    (found,) = read(siecle_xml([pupil(division="")], uai=UAI))
    assert found.division == ""


def test_exit_date_is_read():
    (found,) = read(siecle_xml([pupil(exit_date="15/10/2025")], uai=UAI))
    assert found.exit_date == "15/10/2025"


def test_uai_of_another_school_is_refused_with_pix_message():
    error = refusal(siecle_xml(class_of(2), uai="0069999Z"))
    assert error.message == "L'UAI du fichier SIECLE ne correspond pas à celui de votre établissement."
    assert "0069999Z" in error.detail and UAI in error.detail


def test_uai_is_compared_without_case_or_spaces():
    assert len(read(siecle_xml(class_of(1), uai=" 0061234a "))) == 1


def test_file_without_uai_is_refused():
    data = siecle_xml(class_of(1), uai=UAI).replace(b"<UAJ>0061234A</UAJ>", b"")
    assert "n'indique pas d'UAI" in refusal(data).message


def test_school_without_uai_cannot_import_siecle():
    assert "pas d'UAI enregistré" in refusal(siecle_xml(class_of(1), uai=UAI), uai="").message


def test_xml_that_is_not_a_siecle_export_is_refused():
    error = refusal(b'<?xml version="1.0"?><html><body>bonjour</body></html>')
    assert "n'est pas un export SIECLE" in error.message


def test_non_xml_file_renamed_xml_is_refused():
    error = refusal(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj")
    assert error.message.startswith("Le fichier n'est pas un fichier XML valide (erreur ligne 1")


def test_csv_renamed_xml_is_refused():
    assert "n'est pas un fichier XML valide" in refusal(b"INE;Nom\n123;Martin\n").message


def test_truncated_xml_is_refused_as_incomplete():
    data = siecle_xml(class_of(5), uai=UAI)
    assert "incomplet" in refusal(data[: len(data) // 2]).message


def test_billion_laughs_is_refused_without_expanding_it():
    tracemalloc.start()
    error = refusal(billion_laughs())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "DTD ou des entités" in error.message
    assert peak < 5 * 1024 * 1024


def test_external_entity_is_refused_and_never_read():
    assert "DTD ou des entités" in refusal(external_entity()).message


def test_truncated_zip_is_refused():
    data = siecle_zip(class_of(50), uai=UAI)
    assert refusal(data[: len(data) - 200]).message == siecle.BROKEN_ZIP


def test_zip_with_a_corrupted_member_is_refused():
    data = bytearray(siecle_zip(class_of(50), uai=UAI))
    middle = len(data) // 2
    data[middle : middle + 40] = b"\x00" * 40
    assert refusal(bytes(data)).message == siecle.BROKEN_ZIP


def test_zip_without_xml_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("lisezmoi.txt", "rien")
    assert refusal(out.getvalue()).message == siecle.ZIP_WITHOUT_XML


def test_zip_bomb_is_refused_before_it_is_expanded():
    bomb = zip_bomb(120)
    assert len(bomb) < 1024 * 1024
    started = time.perf_counter()
    assert refusal(bomb).message == siecle.UNZIPPED_TOO_LARGE
    assert time.perf_counter() - started < 1


def test_zip_bomb_that_lies_about_its_size_is_stopped_while_reading():
    bomb = bytearray(zip_bomb(120))
    # Make the central directory claim 1 kB: the reader must not trust it.
    central = bomb.rfind(b"PK\x01\x02")
    struct.pack_into("<I", bomb, central + 24, 1024)
    started = time.perf_counter()
    error = refusal(bytes(bomb))
    assert error.message in {siecle.BROKEN_ZIP, siecle.UNZIPPED_TOO_LARGE}
    assert time.perf_counter() - started < 1


def test_bounded_reader_stops_past_its_limit():
    source = siecle.BoundedReader(io.BytesIO(b"x" * 100), limit=50, message="trop gros")
    assert source.read(40) == b"x" * 40
    with pytest.raises(RosterFileError, match="trop gros"):
        source.read(40)


def test_xml_over_20_mb_is_refused():
    data = siecle_xml(class_of(1), uai=UAI).replace(b"<DONNEES>", b"<DONNEES>" + b" " * MAX_UPLOAD_SIZE)
    assert refusal(data).message == siecle.TOO_LARGE


def _peak_memory(path):
    with path.open("rb") as source:
        tracemalloc.start()
        pupils = siecle.read_siecle(source, uai=UAI)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return len(pupils), peak


def test_memory_does_not_grow_with_the_document(tmp_path):
    """The same 3,000 pupils in a 4 MB file and in a 16 MB one (each pupil carrying 4 kB more of what
    SIECLE puts there): the parser holds the pupils read, never the document."""
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    with small.open("wb") as out:
        write_siecle(out, class_of(3000), uai=UAI)
    with large.open("wb") as out:
        write_siecle(out, class_of(3000), uai=UAI, padding=4000)
    assert large.stat().st_size > 3 * small.stat().st_size
    small_count, small_peak = _peak_memory(small)
    large_count, large_peak = _peak_memory(large)
    assert small_count == large_count == 3000
    assert large_peak < small_peak * 1.2
