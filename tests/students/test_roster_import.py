"""The all-or-nothing import, through the import page and its background job: what a valid file does to
the roster, and how every bad file leaves it untouched."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.factories import MembershipFactory, OrganizationFactory
from accounts.models import Membership
from campaigns.factories import SharedParticipationFactory
from campaigns.models import Participation
from students import roster
from students.factories import siecle_xml
from students.models import OrganizationLearner, RosterImport
from tests.pages import page_text
from tests.students.files import (
    FREGATA_HEADER,
    UAI,
    billion_laughs,
    class_of,
    csv_file,
    external_entity,
    pupil,
    xml_file,
    zip_bomb,
    zip_file,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("students:import")


@pytest.fixture
def admin_client(client, teacher):
    client.force_login(teacher)
    return client


def upload(client, uploaded, django_capture_on_commit_callbacks):
    """Post the file, let the job run (queued on commit), then show the page as the teacher sees it."""
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(IMPORT_URL, {"file": uploaded})
    assert posted.status_code == 302, posted.content.decode()[:2000]
    return client.get(posted.url)


@pytest.fixture
def do_import(admin_client, django_capture_on_commit_callbacks):
    def run(uploaded):
        response = upload(admin_client, uploaded, django_capture_on_commit_callbacks)
        return response, RosterImport.objects.order_by("-pk").first()

    return run


def roster_state(organization):
    return sorted(
        OrganizationLearner.objects.filter(organization=organization).values_list(
            "national_student_id", "last_name", "first_name", "birthdate", "division", "sex", "is_disabled"
        )
    )


# A valid file


def test_siecle_zip_creates_the_pupils_of_the_school(do_import, organization, teacher):
    response, done = do_import(
        zip_file([pupil(ine="1234567890A", last_name="Lefèvre", first_name="Éloïse", sex="2"), *class_of(2)])
    )
    assert done.status == RosterImport.Status.DONE
    assert (done.created_count, done.updated_count, done.disabled_count) == (3, 0, 0)
    learner = OrganizationLearner.objects.get(organization=organization, national_student_id="1234567890A")
    assert (learner.last_name, learner.first_name, learner.birthdate, learner.division, learner.sex) == (
        "Lefèvre",
        "Éloïse",
        datetime.date(2009, 3, 21),
        "2NDE1",
        "F",
    )
    assert learner.normalized_first_name == "eloise"
    text = page_text(response)
    when = timezone.localtime(done.finished_at)
    assert (
        f"Le fichier a été importé le {when:%d/%m/%Y} à {when:%H:%M} par {teacher.get_full_name()}." in text
    )
    assert "3\u00a0élèves ajoutés" in text


def test_reimport_updates_known_pupils_by_ine_and_disables_the_absent(do_import, organization):
    linked = OrganizationLearner.objects.create(
        organization=organization,
        first_name="Léa",
        last_name="Martin",
        birthdate=datetime.date(2009, 3, 21),
        division="2NDE1",
        national_student_id="1234567890A",
        user=MembershipFactory().user,
    )
    leaving = OrganizationLearner.objects.create(
        organization=organization, first_name="Hugo", last_name="Petit", national_student_id="9999999999Z"
    )
    sending = SharedParticipationFactory(
        campaign__organization=organization, learner=leaving, user__first_name="Hugo"
    )
    _, done = do_import(
        xml_file([pupil(ine="1234567890A", last_name="Martin-Roux", division="1G1"), *class_of(1, start=50)])
    )
    assert (done.created_count, done.updated_count, done.disabled_count) == (1, 1, 1)
    linked.refresh_from_db()
    assert (linked.last_name, linked.normalized_last_name, linked.division) == (
        "Martin-Roux",
        "martin roux",
        "1G1",
    )
    assert linked.user is not None, "the account stays linked"
    leaving.refresh_from_db()
    assert leaving.is_disabled
    assert Participation.objects.filter(pk=sending.pk, status=Participation.Status.SHARED).exists()


def test_a_disabled_pupil_back_in_the_file_is_enabled_again(do_import, organization):
    OrganizationLearner.objects.create(
        organization=organization,
        first_name="Léa",
        last_name="Martin",
        national_student_id="1234567890A",
        is_disabled=True,
    )
    _, done = do_import(xml_file([pupil(ine="1234567890A")]))
    assert done.updated_count == 1
    assert not OrganizationLearner.objects.get(national_student_id="1234567890A").is_disabled


def test_skipped_pupils_are_counted_and_not_created(do_import, organization):
    _, done = do_import(
        xml_file(
            [
                pupil(ine="1234567890A"),
                pupil(ine="", last_name="SansIne"),
                pupil(ine="2234567890A", exit_date="01/10/2025"),
                pupil(ine="3234567890A", division=""),
                pupil(ine="4234567890A", division="Inactifs"),
            ]
        )
    )
    assert (done.created_count, done.skipped_count) == (1, 4)
    assert list(OrganizationLearner.objects.values_list("national_student_id", flat=True)) == ["1234567890A"]


def test_other_organizations_rosters_are_untouched(do_import, organization):
    other = OrganizationLearner.objects.create(
        organization=OrganizationFactory(),
        first_name="Zoé",
        last_name="Blanc",
        national_student_id="1234567890A",
    )
    do_import(xml_file([pupil(ine="2234567890A")]))
    other.refresh_from_db()
    assert not other.is_disabled and other.last_name == "Blanc"


def test_simple_csv_import(do_import, organization):
    _, done = do_import(csv_file([("1234567890A", "Martin", "Léa", "21/03/2009", "2NDE1")]))
    assert done.status == RosterImport.Status.DONE and done.format == RosterImport.Format.CSV
    assert OrganizationLearner.objects.get(organization=organization).first_name == "Léa"


def test_fregata_csv_in_windows_1252(do_import, organization):
    rows = [("1234567890A", "Chloé", "", "Lefèvre", "", "21/03/2009", "F", "BTS1")]
    _, done = do_import(csv_file(rows, header=FREGATA_HEADER, encoding="cp1252"))
    assert done.format == RosterImport.Format.FREGATA
    learner = OrganizationLearner.objects.get(organization=organization)
    assert (learner.first_name, learner.last_name, learner.sex, learner.division) == (
        "Chloé",
        "Lefèvre",
        "F",
        "BTS1",
    )


def test_uploaded_file_is_deleted_once_imported(do_import, _media_root):
    _, done = do_import(xml_file(class_of(2)))
    assert done.file.name == ""
    assert not any(path.is_file() for path in _media_root.rglob("*"))


def test_template_csv_is_the_header_of_the_simple_format(admin_client):
    response = admin_client.get(reverse("students:import_template"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode("utf-8") == "\ufeffINE;Nom;Prénom;Date de naissance;Classe\r\n"


# Bad files: a clear French message, and nothing changes


@pytest.fixture
def existing(organization):
    return OrganizationLearner.objects.create(
        organization=organization,
        first_name="Léa",
        last_name="Martin",
        birthdate=datetime.date(2009, 3, 21),
        division="2NDE1",
        national_student_id="1234567890A",
    )


BAD_FILES = {
    "wrong-uai": (
        lambda: xml_file(class_of(2), uai="0069999Z"),
        "L'UAI du fichier SIECLE ne correspond pas à celui de votre établissement.",
    ),
    "truncated-zip": (
        lambda: SimpleUploadedFile("ExportXML_ElevesSansAdresses.zip", zip_file(class_of(40)).read()[:-300]),
        "Le fichier .zip est incomplet ou endommagé",
    ),
    "not-xml": (
        lambda: SimpleUploadedFile("ElevesSansAdresses.xml", b"%PDF-1.4\n1 0 obj << >> endobj\n"),
        "Le fichier n'est pas un fichier XML valide",
    ),
    "billion-laughs": (
        lambda: SimpleUploadedFile("ElevesSansAdresses.xml", billion_laughs()),
        "refusées par sécurité",
    ),
    "external-entity": (
        lambda: SimpleUploadedFile("ElevesSansAdresses.xml", external_entity()),
        "refusées par sécurité",
    ),
    "zip-bomb": (
        lambda: SimpleUploadedFile("ExportXML_ElevesSansAdresses.zip", zip_bomb(120)),
        "dépasse 100 Mo une fois décompressé",
    ),
    "csv-wrong-encoding": (
        lambda: SimpleUploadedFile(
            "eleves.csv", "INE;Nom;Prénom;Date de naissance;Classe\r\n".encode("utf-16")
        ),
        "ni en UTF-8 ni en Windows-1252",
    ),
    "csv-missing-column": (
        lambda: csv_file(
            [("1234567890A", "Martin", "Léa", "2NDE1")], header=("INE", "Nom", "Prénom", "Classe")
        ),
        "Colonne manquante\u00a0: « Date de naissance ».",
    ),
    "duplicate-ine": (
        lambda: xml_file([pupil(ine="5555555555A"), pupil(ine="5555555555A", first_name="Hugo")]),
        "L'INE 5555555555A apparaît plusieurs fois dans le fichier",
    ),
    "impossible-date": (
        lambda: xml_file([pupil(ine="5555555555A", birthdate="31/02/2009")]),
        "La date de naissance « 31/02/2009 » n'existe pas.",
    ),
    "missing-sex": (
        lambda: xml_file([pupil(ine="5555555555A", sex="")]),
        "Le code sexe est manquant.",
    ),
    "no-pupil": (
        lambda: xml_file([pupil(ine="")]),
        "ne contient aucun élève à importer",
    ),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_file_is_refused_with_a_french_message_and_changes_nothing(
    do_import, organization, existing, name
):
    make_file, message = BAD_FILES[name]
    before = roster_state(organization)
    response, done = do_import(make_file())
    assert done.status == RosterImport.Status.FAILED
    text = page_text(response).replace("\u00a0", " ")
    assert message.replace("\u00a0", " ") in text
    assert "Aucun élève n'a été modifié." in text
    assert roster_state(organization) == before


def test_refused_file_lists_every_faulty_pupil_with_its_ine(do_import, existing):
    response, done = do_import(
        xml_file(
            [
                pupil(ine="5555555555A", last_name="Petit", first_name="Hugo", birthdate="31/02/2009"),
                pupil(ine="6666666666A"),
                pupil(ine="7777777777A", last_name="Roux", first_name="Zoé", sex=""),
            ]
        )
    )
    assert [error["where"] for error in done.errors] == [
        "INE 5555555555A (Petit Hugo)",
        "INE 7777777777A (Roux Zoé)",
    ]
    text = page_text(response)
    assert "2\u00a0élèves sont à corriger" in text
    assert "INE 5555555555A (Petit Hugo)" in text and "INE 7777777777A (Roux Zoé)" in text
    assert not OrganizationLearner.objects.filter(national_student_id="6666666666A").exists()


def test_csv_errors_give_the_line(do_import, existing):
    _, done = do_import(
        csv_file(
            [
                ("1111111111A", "Martin", "Léa", "21/03/2009", "2NDE1"),
                ("2222222222A", "Petit", "Hugo", "31/02/2009", "2NDE1"),
            ]
        )
    )
    assert done.errors == [
        {"where": "Ligne 3", "messages": ["La date de naissance « 31/02/2009 » n'existe pas."]}
    ]


def test_file_over_20_mb_is_refused_by_the_form_and_nothing_is_stored(admin_client, existing, _media_root):
    big = SimpleUploadedFile("ElevesSansAdresses.xml", b" " * (30 * 1024 * 1024))
    response = admin_client.post(IMPORT_URL, {"file": big})
    text = page_text(response)
    assert "Le fichier dépasse la taille maximale de 20\u00a0Mo" in text
    assert "<title>Erreur\u00a0: Importer la base élèves" in text
    assert 'aria-invalid="true"' in text and 'aria-describedby="id_file_helptext id_file_error"' in text
    assert 'id="id_file_error"' in text
    assert not RosterImport.objects.exists()
    assert not _media_root.exists() or not any(_media_root.rglob("*.xml"))


def test_other_file_types_are_refused_by_the_form(admin_client):
    response = admin_client.post(IMPORT_URL, {"file": SimpleUploadedFile("eleves.xlsx", b"PK\x03\x04")})
    assert "Ce type de fichier n'est pas accepté" in page_text(response)
    assert not RosterImport.objects.exists()


def test_no_file_is_refused_by_the_form(admin_client):
    response = admin_client.post(IMPORT_URL, {})
    assert "Choisissez le fichier de la base élèves à importer." in page_text(response)


# One import at a time


def test_second_import_while_one_runs_is_refused_politely(admin_client, organization, teacher, existing):
    RosterImport.objects.create(
        organization=organization,
        created_by=teacher,
        file_name="a.xml",
        status=RosterImport.Status.VALIDATING,
    )
    response = admin_client.post(IMPORT_URL, {"file": xml_file(class_of(3))}, follow=True)
    assert "Un import de la base élèves est déjà en cours" in page_text(response)
    assert RosterImport.objects.count() == 1
    assert roster_state(organization) == [
        ("1234567890A", "Martin", "Léa", datetime.date(2009, 3, 21), "2NDE1", "", False)
    ]


def test_database_refuses_two_running_imports_of_one_organization(organization, teacher):
    RosterImport.objects.create(organization=organization, created_by=teacher, file_name="a.xml")
    with pytest.raises(IntegrityError), transaction.atomic():
        RosterImport.objects.create(
            organization=organization,
            created_by=teacher,
            file_name="b.xml",
            status=RosterImport.Status.IMPORTING,
        )
    RosterImport.objects.create(organization=OrganizationFactory(), created_by=teacher, file_name="c.xml")


def test_an_import_lost_with_its_worker_no_longer_blocks_the_next(organization, teacher, do_import):
    lost = RosterImport.objects.create(
        organization=organization, created_by=teacher, file_name="a.xml", status=RosterImport.Status.IMPORTING
    )
    RosterImport.objects.filter(pk=lost.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=2))
    _, done = do_import(xml_file(class_of(1)))
    assert done.status == RosterImport.Status.DONE
    lost.refresh_from_db()
    assert lost.status == RosterImport.Status.FAILED
    assert "interrompu" in lost.errors[0]["messages"][0]


def test_running_the_job_twice_imports_once(do_import, organization):
    _, done = do_import(xml_file(class_of(2)))
    roster.roster_import_run(roster_import_id=done.pk)
    assert OrganizationLearner.objects.filter(organization=organization).count() == 2
    assert RosterImport.objects.get(pk=done.pk).created_count == 2


def test_a_failing_apply_changes_nothing(do_import, organization, existing, monkeypatch):
    def broken_apply(**kwargs):
        OrganizationLearner.objects.filter(organization=organization).update(division="CASSÉ")
        raise RuntimeError("disk full")

    monkeypatch.setattr(roster, "roster_apply", broken_apply)
    with pytest.raises(RuntimeError):
        do_import(xml_file([pupil(ine="1234567890A", division="1G1")]))
    existing.refresh_from_db()
    assert existing.division == "2NDE1"
    done = RosterImport.objects.get()
    assert done.status == RosterImport.Status.FAILED
    assert done.errors[0]["messages"] == [roster.UNEXPECTED]


# The page: progress, history, permissions


def test_page_polls_while_the_import_runs_and_works_without_javascript(admin_client, organization, teacher):
    running = RosterImport.objects.create(
        organization=organization,
        created_by=teacher,
        file_name="eleves.zip",
        status=RosterImport.Status.IMPORTING,
    )
    text = page_text(admin_client.get(IMPORT_URL))
    assert 'hx-trigger="every 2s"' in text
    assert "Import en cours…" in text and "Actualiser la page" in text
    assert "disabled" in text
    RosterImport.objects.filter(pk=running.pk).update(status=RosterImport.Status.VALIDATING)
    partial = admin_client.get(IMPORT_URL, headers={"HX-Request": "true"})
    assert "Validation en cours…" in page_text(partial)
    assert "<html" not in page_text(partial)
    assert "HX-Refresh" not in partial
    assert "HX-Request" in partial["Vary"]


def test_page_stops_polling_and_reloads_once_the_import_is_done(do_import, admin_client):
    do_import(xml_file(class_of(1)))
    response = admin_client.get(IMPORT_URL, headers={"HX-Request": "true"})
    text = page_text(response)
    assert "every 2s" not in text and "Le fichier a été importé le" in text
    assert response["HX-Refresh"] == "true"


def test_history_lists_the_imports_newest_first(do_import, admin_client):
    do_import(xml_file(class_of(1), uai="0069999Z", name="premier.xml"))
    do_import(xml_file(class_of(1), name="second.xml"))
    text = page_text(admin_client.get(IMPORT_URL))
    assert "Historique des imports" in text
    assert text.index("second.xml") < text.index("premier.xml")


def test_history_entry_shows_its_errors(do_import, admin_client):
    _, failed = do_import(xml_file([pupil(birthdate="31/02/2009")]))
    response = admin_client.get(reverse("students:import_detail", args=[failed.pk]))
    assert "La date de naissance « 31/02/2009 » n'existe pas." in page_text(response)


def test_member_cannot_import_and_gets_403(client, colleague, organization):
    client.force_login(colleague)
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, {"file": xml_file(class_of(1))})
    assert response.status_code == 403
    assert "Seuls les administrateurs" in page_text(response)
    assert not RosterImport.objects.exists()


def test_member_does_not_see_the_import_button(client, colleague):
    client.force_login(colleague)
    assert "Importer la base élèves" not in page_text(client.get(reverse("campaigns:learners")))


def test_admin_sees_the_import_button(admin_client):
    assert "Importer la base élèves" in page_text(admin_client.get(reverse("campaigns:learners")))


def test_import_of_another_organization_is_404(client, organization, teacher, stranger):
    other_import = RosterImport.objects.create(
        organization=organization, created_by=teacher, file_name="a.xml"
    )
    client.force_login(stranger)
    assert client.get(reverse("students:import_detail", args=[other_import.pk])).status_code == 404


def test_import_of_stranger_is_only_about_his_own_school(
    client, stranger, organization, django_capture_on_commit_callbacks
):
    client.force_login(stranger)
    upload(
        client,
        xml_file(class_of(1), uai=Membership.objects.get(user=stranger).organization.external_id),
        django_capture_on_commit_callbacks,
    )
    assert not OrganizationLearner.objects.filter(organization=organization).exists()


def test_import_page_refuses_wrong_method(admin_client):
    assert admin_client.put(IMPORT_URL).status_code == 405
    assert admin_client.post(reverse("students:import_template")).status_code == 405


def test_non_school_organization_cannot_import(client):
    membership = MembershipFactory(organization__type="SUP", role=Membership.Role.ADMIN)
    client.force_login(membership.user)
    assert client.get(IMPORT_URL).status_code == 403


def test_siecle_file_in_utf8_is_read_too(do_import, organization):
    data = siecle_xml([pupil(last_name="Lefèvre")], uai=UAI, encoding="UTF-8")
    _, done = do_import(SimpleUploadedFile("eleves.xml", data))
    assert done.status == RosterImport.Status.DONE
    assert OrganizationLearner.objects.get(organization=organization).last_name == "Lefèvre"
