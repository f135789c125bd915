"""Pupil accounts the school hands out: `prénom.nomJJMM` logins, one-time passwords shown once in the
download, and the pupil's own password chosen at first login."""

import base64
import csv
import datetime
import io
import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client
from django.urls import reverse

from accounts.factories import MembershipFactory, UserFactory
from campaigns.export import BOM
from students import accounts
from students.factories import OrganizationLearnerFactory
from students.middleware import MUST_CHOOSE_PASSWORD
from students.models import GeneratedAccount, OrganizationLearner
from tests.pages import page_text

pytestmark = pytest.mark.django_db

ACCOUNTS_URL = reverse("students:accounts")
User = get_user_model()


# Logins and passwords


@pytest.mark.parametrize(
    ("first_name", "last_name", "birthdate", "expected"),
    [
        ("Léa", "Martin", datetime.date(2009, 3, 21), "lea.martin2103"),
        ("Éloïse", "Lefèvre-Roux", datetime.date(2008, 5, 4), "eloise.lefevreroux0405"),
        ("Jean Marie", "N'Diaye", datetime.date(2009, 12, 1), "jeanmarie.ndiaye0112"),
        ("Zoé", "D’Artagnan", None, "zoe.dartagnan"),
        ("Œdipe", "ÇA", datetime.date(2009, 1, 9), "oedipe.ca0901"),
    ],
)
def test_username_is_first_name_dot_last_name_and_day_month(first_name, last_name, birthdate, expected):
    assert accounts.username_base(first_name=first_name, last_name=last_name, birthdate=birthdate) == expected


def test_username_candidates_add_a_number():
    candidates = accounts.username_candidates("lea.martin2103")
    assert [next(candidates) for _ in range(3)] == ["lea.martin2103", "lea.martin21032", "lea.martin21033"]


def test_temporary_password_is_random_readable_and_mixes_letters_and_digits():
    passwords = {accounts.temporary_password() for _ in range(50)}
    assert len(passwords) == 50
    for password in passwords:
        assert len(password) == 10
        assert set(password) <= set(accounts.PASSWORD_ALPHABET)
        assert re.search(r"[0-9]", password) and re.search(r"[a-z]", password)
        assert not set(password) & set("0o1liI")


def test_temporary_password_hash_is_upgraded_at_login(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    encoded = accounts._hash("abcde23456")
    assert encoded.startswith(f"pbkdf2_sha256${accounts.TEMPORARY_PASSWORD_ITERATIONS}$")
    user = UserFactory(password="")
    user.password = encoded
    user.save()
    assert user.check_password("abcde23456")
    user.refresh_from_db()
    assert user.password.startswith(f"pbkdf2_sha256${PBKDF2PasswordHasher.iterations}$")


# The teacher's page


@pytest.fixture
def member_client(client, colleague):
    client.force_login(colleague)
    return client


@pytest.fixture
def pupils(organization):
    return [
        OrganizationLearnerFactory(
            organization=organization,
            first_name="Léa",
            last_name="Martin",
            birthdate=datetime.date(2009, 3, 21),
            division="2NDE1",
        ),
        OrganizationLearnerFactory(
            organization=organization,
            first_name="Léa",
            last_name="Martin",
            birthdate=datetime.date(2008, 3, 21),
            division="TG1",
        ),
        OrganizationLearnerFactory(
            organization=organization,
            first_name="Hugo",
            last_name="Petit",
            birthdate=datetime.date(2009, 6, 2),
            division="2NDE1",
        ),
    ]


def class_files(response):
    """{division: rows of its CSV}, read from the download links of the page."""
    files = {}
    for href, name in re.findall(
        r'href="data:text/csv;charset=utf-8;base64,([^"]+)" download="([^"]+)"', response.content.decode()
    ):
        text = base64.b64decode(href).decode("utf-8")
        assert text.startswith(BOM)
        rows = list(csv.reader(io.StringIO(text[len(BOM) :]), delimiter=";"))
        files[rows[1][0]] = (name, rows)
    return files


def generate(client, ids, action="generer"):
    return client.post(ACCOUNTS_URL, {"eleve": [str(pk) for pk in ids], "action": action})


def test_generating_creates_accounts_and_one_download_per_class(member_client, pupils, caplog):
    caplog.set_level(logging.DEBUG)
    response = generate(member_client, [pupil.pk for pupil in pupils])
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    files = class_files(response)
    assert set(files) == {"2NDE1", "TG1"}
    name, rows = files["2NDE1"]
    assert re.fullmatch(r"Identifiants-2NDE1-\d{4}-\d{2}-\d{2}\.csv", name)
    assert rows[0] == ["Classe", "Nom", "Prénom", "Identifiant", "Mot de passe"]
    assert [row[1:4] for row in rows[1:]] == [
        ["Martin", "Léa", "lea.martin2103"],
        ["Petit", "Hugo", "hugo.petit0206"],
    ]
    assert files["TG1"][1][1][3] == "lea.martin21032", "the same login is made unique"
    for _, class_rows in files.values():
        for _, _, _, username, password in class_rows[1:]:
            user = User.objects.get(username=username)
            assert user.check_password(password)
            assert password not in user.password
            assert GeneratedAccount.objects.get(user=user).must_change_password
            assert password not in caplog.text
    for pupil in pupils:
        pupil.refresh_from_db()
        assert pupil.user.learners.get() == pupil
    text = page_text(response)
    assert "les mots de passe ne seront plus jamais affichés" in text
    assert "Fiches de la classe 2NDE1" in text and "Fiches de la classe TG1" in text


def test_passwords_are_stored_nowhere_in_clear(member_client, pupils):
    response = generate(member_client, [pupils[0].pk])
    _, rows = class_files(response)["2NDE1"]
    password = rows[1][4]
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (
            "accounts_user",
            "students_generatedaccount",
            "students_organizationlearner",
            "django_session",
        ):
            cursor.execute(f"SELECT * FROM {table}")
            assert password not in repr(cursor.fetchall()), table


def test_whole_class_generation(member_client, pupils):
    response = member_client.post(ACCOUNTS_URL, {"classe": "2NDE1", "action": "generer"})
    assert set(class_files(response)) == {"2NDE1"}
    assert OrganizationLearner.objects.filter(division="2NDE1", user__isnull=False).count() == 2
    assert OrganizationLearner.objects.get(division="TG1").user is None


def test_generating_again_keeps_the_login_and_gives_a_new_password(member_client, pupils):
    first = class_files(generate(member_client, [pupils[0].pk]))["2NDE1"][1][1]
    second = class_files(generate(member_client, [pupils[0].pk]))["2NDE1"][1][1]
    assert first[3] == second[3] and first[4] != second[4]
    user = User.objects.get(username=first[3])
    assert user.check_password(second[4]) and not user.check_password(first[4])


def test_reset_gives_new_passwords_to_pupils_with_an_account_only(member_client, pupils):
    account = UserFactory(username="hugo.petit", email="hugo@example.org")
    pupils[2].user = account
    pupils[2].save()
    response = generate(member_client, [pupils[0].pk, pupils[2].pk], action="reinitialiser")
    files = class_files(response)
    assert [row[3] for row in files["2NDE1"][1][1:]] == ["hugo.petit"]
    assert User.objects.get(username="hugo.petit").check_password(files["2NDE1"][1][1][4])
    assert GeneratedAccount.objects.get(user=account).must_change_password
    assert "Mots de passe réinitialisés" in page_text(response)
    assert "n'a pas encore de compte" in page_text(response)
    pupils[0].refresh_from_db()
    assert pupils[0].user is None


def test_a_teachers_account_is_never_reset(member_client, organization, pupils, teacher):
    pupils[0].user = teacher
    pupils[0].save()
    password = teacher.password
    response = generate(member_client, [pupils[0].pk], action="reinitialiser")
    teacher.refresh_from_db()
    assert teacher.password == password
    assert "appartient aussi à un membre" in page_text(response)


def test_nothing_selected_says_so(member_client, pupils):
    response = member_client.post(ACCOUNTS_URL, {"action": "generer"}, follow=True)
    assert "Sélectionnez au moins un élève" in page_text(response)
    assert not User.objects.filter(username__startswith="lea.").exists()


def test_forged_id_of_another_organization_is_404_and_changes_nothing(member_client, pupils):
    foreign = OrganizationLearnerFactory()
    response = generate(member_client, [pupils[0].pk, foreign.pk])
    assert response.status_code == 404
    assert not OrganizationLearner.objects.filter(user__isnull=False).exists()


@pytest.mark.parametrize("raw_id", ["²", "１", "abc", "99999999999999999999", ""])
def test_unicode_digits_or_malformed_ids_are_404(member_client, pupils, raw_id):
    response = member_client.post(ACCOUNTS_URL, {"eleve": [str(pupils[0].pk), raw_id], "action": "generer"})
    assert response.status_code == 404
    assert not OrganizationLearner.objects.filter(user__isnull=False).exists()


def test_disabled_learner_cannot_be_given_an_account(member_client, organization):
    gone = OrganizationLearnerFactory(organization=organization, is_disabled=True)
    assert generate(member_client, [gone.pk]).status_code == 404


def test_too_many_pupils_at_once_are_refused(member_client, organization, monkeypatch, pupils):
    monkeypatch.setattr(accounts, "MAX_ACCOUNTS_PER_REQUEST", 2)
    response = member_client.post(ACCOUNTS_URL, {"classe": "2NDE1", "action": "generer"}, follow=False)
    assert response.status_code == 200
    response = generate(member_client, [pupil.pk for pupil in pupils])
    assert response.status_code == 302
    assert not OrganizationLearner.objects.filter(division="TG1", user__isnull=False).exists()


def test_accounts_page_needs_a_post_and_a_member(client, pupils, stranger):
    assert client.post(ACCOUNTS_URL, {"eleve": [pupils[0].pk]}).status_code == 302
    client.force_login(stranger)
    assert generate(client, [pupils[0].pk]).status_code == 404
    assert client.get(ACCOUNTS_URL).status_code == 405


def test_list_offers_selection_and_both_buttons(member_client, pupils):
    text = page_text(member_client.get(reverse("campaigns:learners")))
    assert f'name="eleve" value="{pupils[0].pk}"' in text
    assert "Sélectionner Martin Léa" in text
    assert text.count("Générer identifiants et mots de passe") == 2
    assert text.count("Réinitialiser les mots de passe") == 2


# The pupil's first login


@pytest.fixture
def generated(member_client, pupils):
    _, rows = class_files(generate(member_client, [pupils[0].pk]))["2NDE1"]
    return rows[1][3], rows[1][4]


def test_pupil_logs_in_with_the_temporary_password_and_must_choose_his_own(generated):
    username, password = generated
    pupil = Client()
    response = pupil.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302
    home = pupil.get(reverse("pupil:home"))
    assert home.status_code == 302 and home.url.startswith(reverse("students:choose_password"))
    page = pupil.get(home.url)
    text = page_text(page)
    assert "<h1>Choisissez votre mot de passe</h1>" in text
    assert 'name="next" value="/accueil/"' in text

    response = pupil.post(
        reverse("students:choose_password"),
        {
            "new_password1": "Mon-nouveau-secret-2026",
            "new_password2": "Mon-nouveau-secret-2026",
            "next": "/accueil/",
        },
    )
    assert response.status_code == 302 and response.url == "/accueil/"
    assert pupil.get(reverse("pupil:home")).status_code == 200
    user = User.objects.get(username=username)
    assert user.check_password("Mon-nouveau-secret-2026")
    assert not GeneratedAccount.objects.get(user=user).must_change_password
    assert MUST_CHOOSE_PASSWORD not in pupil.session


def test_pupil_cannot_skip_choosing_his_password(generated):
    username, password = generated
    pupil = Client()
    pupil.post(reverse("login"), {"username": username, "password": password})
    for path in (reverse("pupil:profile"), "/campagnes/ABCDEF123", reverse("campaigns:list")):
        response = pupil.get(path)
        assert response.status_code == 302 and response.url.startswith(reverse("students:choose_password"))
    assert pupil.post(reverse("pupil:code"), {"code": "X"}).url == reverse("students:choose_password")
    htmx = pupil.get(reverse("pupil:home"), headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == reverse("students:choose_password")
    assert pupil.post(reverse("logout")).status_code == 302


def test_choose_password_errors_are_french_and_tied_to_their_field(generated):
    username, password = generated
    pupil = Client()
    pupil.post(reverse("login"), {"username": username, "password": password})
    response = pupil.post(
        reverse("students:choose_password"), {"new_password1": "abc", "new_password2": "abd"}
    )
    text = page_text(response)
    assert "<title>Erreur" in text
    assert "Les deux mots de passe ne correspondent pas." in text
    assert 'aria-invalid="true"' in text and 'id="id_new_password2_error"' in text
    assert User.objects.get(username=username).check_password(password)


def test_choose_password_page_leaves_other_users_alone(client, pupil):
    client.force_login(pupil)
    response = client.get(reverse("students:choose_password"))
    assert response.status_code == 302
    assert client.get(reverse("pupil:home")).status_code == 200


def test_teacher_login_is_not_redirected(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("campaigns:learners")).status_code == 200


def test_external_next_is_ignored(generated):
    username, password = generated
    pupil = Client()
    pupil.post(reverse("login"), {"username": username, "password": password})
    response = pupil.post(
        reverse("students:choose_password"),
        {
            "new_password1": "Mon-nouveau-secret-2026",
            "new_password2": "Mon-nouveau-secret-2026",
            "next": "https://evil.example/",
        },
    )
    assert response.url == reverse("home")


def test_reset_logs_the_pupil_out_and_asks_again(member_client, generated, pupils):
    username, password = generated
    pupil = Client()
    pupil.post(reverse("login"), {"username": username, "password": password})
    pupil.post(
        reverse("students:choose_password"),
        {"new_password1": "Mon-nouveau-secret-2026", "new_password2": "Mon-nouveau-secret-2026"},
    )
    new_password = class_files(generate(member_client, [pupils[0].pk], action="reinitialiser"))["2NDE1"][1][
        1
    ][4]
    assert pupil.get(reverse("pupil:home")).status_code == 302  # the old session is gone
    pupil.post(reverse("login"), {"username": username, "password": new_password})
    assert pupil.get(reverse("pupil:home")).url.startswith(reverse("students:choose_password"))


def test_member_of_another_school_is_listed_as_member(organization):
    membership = MembershipFactory()
    learner = OrganizationLearnerFactory(organization=organization, user=membership.user)
    credentials, skipped = accounts.learner_accounts_generate(
        learners=OrganizationLearner.objects.filter(pk=learner.pk), by=None
    )
    assert credentials == [] and len(skipped) == 1
