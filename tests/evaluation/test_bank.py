"""The question bank's files: the rules of bank-format.md, the real files, and loading them."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from evaluation import bank
from evaluation.factories import ChallengeFactory
from evaluation.models import Challenge, Skill, Topic
from evaluation.services import bank_load
from profiles.framework import COMPETENCE_CODES

CODES = set(COMPETENCE_CODES)

VALID = """
competence = "2.1"

[[topics]]
slug = "courriel"
name = "Écrire un courriel"

  [[topics.challenges]]
  ref = "2.1-courriel-1a"
  difficulty = 1
  kind = "single"
  statement = "Dans quel champ d’un courriel écrit-on l’adresse du destinataire principal ?"
  proposals = ["À", "Objet", "Cci"]
  answer = [1]
  explanation = "Le champ « À » reçoit le destinataire principal."
  learn_more = "Cherchez « champs d’un courriel » dans l’aide de votre messagerie."

  [[topics.challenges]]
  ref = "2.1-courriel-2a"
  difficulty = 2
  kind = "multiple"
  statement = "Quels champs peuvent recevoir plusieurs adresses ? (plusieurs réponses possibles)"
  proposals = ["À", "Cc", "Objet", "Pièce jointe"]
  answer = [1, 2]
  explanation = "« À » et « Cc » acceptent plusieurs adresses."
  learn_more = "Cherchez « copie carbone » dans l’aide de votre messagerie."

  [[topics.challenges]]
  ref = "2.1-courriel-3a"
  difficulty = 3
  kind = "short"
  statement = "Quel champ cache ses destinataires aux autres ? Donnez son sigle."
  accepted = ["Cci", "copie cachée"]
  explanation = "La copie carbone invisible cache ses destinataires."
  learn_more = "Cherchez « Cci » dans l’aide de votre messagerie."

[[topics]]
slug = "visio"
name = "Participer à une visioconférence"

  [[topics.challenges]]
  ref = "2.1-visio-1a"
  difficulty = 1
  kind = "single"
  statement = "Que faire de son micro quand on ne parle pas pendant une visioconférence ?"
  proposals = ["Le couper", "Le laisser ouvert", "Le débrancher de l’ordinateur"]
  answer = [1]
  explanation = "Un micro coupé évite les bruits de fond."
  learn_more = "Cherchez « bonnes pratiques de la visioconférence »."

  [[topics.challenges]]
  ref = "2.1-visio-2a"
  difficulty = 2
  kind = "single"
  statement = "Comment demander la parole sans couper celui qui parle ?"
  proposals = ["Avec la main levée de l’outil", "En criant", "En quittant la réunion"]
  answer = [1]
  explanation = "La main levée signale que l’on veut parler."
  learn_more = "Cherchez « lever la main » dans l’aide de votre outil de visioconférence."

  [[topics.challenges]]
  ref = "2.1-visio-3a"
  difficulty = 3
  kind = "single"
  statement = "Que partage-t-on pour montrer un document à tous ?"
  proposals = ["Son écran", "Son mot de passe", "Son adresse"]
  answer = [1]
  explanation = "Le partage d’écran montre ce qui est affiché."
  learn_more = "Cherchez « partage d’écran » dans l’aide de votre outil."
"""


def write(directory, text, name="2.1.toml"):
    (directory / name).write_text(text, encoding="utf-8")
    return directory


def plain(text):
    """Messages carry French non-breaking spaces; the tests compare them with plain ones."""
    return text.replace("\u00a0", " ")


def problems_of(directory):
    with pytest.raises(bank.BankError) as raised:
        bank.read_bank(directory, competence_codes=CODES)
    return [plain(problem) for problem in raised.value.problems]


def test_a_file_following_the_format_is_read(tmp_path):
    [competence] = bank.read_bank(write(tmp_path, VALID), competence_codes=CODES)
    assert competence.code == "2.1"
    assert [topic.slug for topic in competence.topics] == ["courriel", "visio"]
    short = competence.topics[0].challenges[2]
    assert (short.kind, short.accepted, short.proposals) == ("short", ("Cci", "copie cachée"), ())


def test_multiline_statement_loses_the_indentation_of_the_file(tmp_path):
    text = VALID.replace(
        'statement = "Que partage-t-on pour montrer un document à tous ?"',
        'statement = """\n  Que partage-t-on\n  - pour **montrer** un document ?\n  """',
    )
    [competence] = bank.read_bank(write(tmp_path, text), competence_codes=CODES)
    assert (
        competence.topics[1].challenges[2].statement == "Que partage-t-on\n- pour **montrer** un document ?"
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'answer = [1]\n  explanation = "Le champ',
            'answer = [1, 2]\n  explanation = "Le champ',
            "exactement une",
        ),
        ("(plusieurs réponses possibles)", "", "doit dire « plusieurs réponses possibles »"),
        ("answer = [1, 2]", "answer = [2]", "au moins deux bonnes réponses"),
        ('accepted = ["Cci", "copie cachée"]', 'accepted = ["la copie carbone invisible"]', "plus de 3 mots"),
        ('accepted = ["Cci", "copie cachée"]', 'accepted = ["Cci", ""]', "réponse acceptée vide"),
        ('accepted = ["Cci", "copie cachée"]', "accepted = []", "accepted manquant"),
        ('kind = "short"', 'kind = "ouverte"', "kind « ouverte » inconnu"),
        ('difficulty = 3\n  kind = "short"', 'difficulty = 9\n  kind = "short"', "entier de 1 à 8"),
        ('ref = "2.1-visio-2a"', 'ref = "2.1-visio-3b"', "ref doit s'écrire 2.1-visio-2<lettre>"),
        (
            'ref = "2.1-visio-2a"\n  difficulty = 2',
            'ref = "2.1-visio-1a"\n  difficulty = 1',
            "ref déjà utilisée",
        ),
        ('proposals = ["À", "Objet", "Cci"]', 'proposals = ["À", "Objet"]', "3 ou 4 propositions attendues"),
        (
            'proposals = ["À", "Objet", "Cci"]',
            'proposals = ["À", "Objet", "À"]',
            "deux propositions identiques",
        ),
        (
            'answer = [1]\n  explanation = "Le champ',
            'answer = [4]\n  explanation = "Le champ',
            "n'existe pas",
        ),
        ("Le couper", "L'éteindre", "apostrophe droite"),
        ("Comment demander", "A quel moment demander", "« A » sans accent ; écrivez « À »"),
        ('learn_more = "Cherchez « partage', 'learn_mor = "Cherchez « partage', "clé inconnue « learn_mor »"),
        ('competence = "2.1"', 'competence = "9.9"', "n'est pas un code du référentiel"),
        ('competence = "2.1"', 'competence = "2.2"', "doit s'appeler 2.2.toml"),
        ('slug = "visio"', 'slug = "Visio Conf"', "slug en minuscules"),
        (
            'explanation = "La main levée signale que l’on veut parler."',
            'explanation = ""',
            "explanation manquant",
        ),
        (
            'difficulty = 3\n  kind = "single"',
            'difficulty = 4\n  kind = "single"',
            "il manque des épreuves de difficulté 3",
        ),
        ('competence = "2.1"', 'competence = "2.1"\n[truc', "TOML illisible"),
    ],
)
def test_every_rule_of_the_format_is_checked_with_the_file_and_ref_named(tmp_path, old, new, message):
    assert old in VALID
    problems = problems_of(write(tmp_path, VALID.replace(old, new, 1)))
    assert any(message in problem and problem.startswith("2.1.toml") for problem in problems), problems


def test_problem_names_the_ref_of_the_challenge(tmp_path):
    [problem] = problems_of(write(tmp_path, VALID.replace("answer = [1, 2]", "answer = [2]")))
    assert problem.startswith("2.1.toml: 2.1-courriel-2a: multiple")


def test_every_problem_is_reported_at_once(tmp_path):
    text = VALID.replace("answer = [1, 2]", "answer = [2]").replace("Le couper", "L'éteindre")
    assert len(problems_of(write(tmp_path, text))) == 2


def test_a_competence_needs_two_topics(tmp_path):
    one_topic = VALID[: VALID.index('[[topics]]\nslug = "visio"')]
    assert any("au moins 2 sujets" in problem for problem in problems_of(write(tmp_path, one_topic)))


def test_the_same_ref_in_two_files_is_refused(tmp_path):
    write(tmp_path, VALID)
    other = VALID.replace('competence = "2.1"', 'competence = "2.2"').replace("2.1-", "2.2-")
    other = other.replace('ref = "2.2-visio-1a"', 'ref = "2.1-visio-1a"')
    write(tmp_path, other, name="2.2.toml")
    assert any("2.1-visio-1a" in problem for problem in problems_of(tmp_path))


def test_straight_apostrophes_inside_code_are_allowed(tmp_path):
    text = VALID.replace("Le couper", "Taper `echo 'bonjour'`")
    assert bank.read_bank(write(tmp_path, text), competence_codes=CODES)


def test_spellings_of_a_short_answer_may_add_an_article(tmp_path):
    text = VALID.replace(
        'accepted = ["Cci", "copie cachée"]', 'accepted = ["copie cachée", "une copie carbone invisible"]'
    )
    [competence] = bank.read_bank(write(tmp_path, text), competence_codes=CODES)
    assert competence.topics[0].challenges[2].accepted[1] == "une copie carbone invisible"


def test_a_capital_a_that_is_no_preposition_is_allowed(tmp_path):
    text = VALID.replace('"Le couper", "Le laisser ouvert"', '"A et B", "Colonne A puis B"')
    assert bank.read_bank(write(tmp_path, text), competence_codes=CODES)


def test_coverage_counts_what_the_whole_bank_still_lacks(tmp_path):
    competences = bank.read_bank(write(tmp_path, VALID), competence_codes=CODES)
    problems = [plain(problem) for problem in bank.coverage_problems(competences, competence_codes=CODES)]
    assert problems == [
        "compétences sans fichier : " + ", ".join(sorted(CODES - {"2.1"})),
        "6 épreuves dans la banque, au moins 200 attendues",
    ]
    assert bank.coverage_problems(competences, competence_codes={"2.1"}, minimum=6) == []


# The real bank


def test_the_real_bank_follows_every_rule_of_the_format():
    competences = bank.read_bank(competence_codes=CODES)
    assert competences, "evaluation/content holds no file"
    for competence in competences:
        assert len(competence.topics) >= 2
        for topic in competence.topics:
            assert {1, 2, 3} <= {challenge.difficulty for challenge in topic.challenges}


def test_the_real_bank_covers_every_competence_with_200_challenges_once_complete():
    competences = bank.read_bank(competence_codes=CODES)
    if len(competences) < len(CODES):
        pytest.skip(f"banque en cours d’écriture : {len(competences)} compétences sur 16")
    assert bank.coverage_problems(competences, competence_codes=CODES) == []


@pytest.mark.django_db
def test_migrate_loaded_the_real_bank():
    competences = bank.read_bank(competence_codes=CODES)
    refs = {challenge.ref for competence in competences for challenge in competence.challenges}
    assert set(Challenge.objects.filter(is_active=True).values_list("ref", flat=True)) == refs


# Loading into the database


@pytest.fixture
def empty_bank(db):
    """No bank in the database, so that the files of these tests do not meet the real ones."""
    Challenge.objects.all().delete()
    Skill.objects.all().delete()
    Topic.objects.all().delete()


@pytest.mark.usefixtures("empty_bank")
def test_loading_twice_changes_nothing(tmp_path):
    first = bank_load(directory=write(tmp_path, VALID))
    second = bank_load(directory=tmp_path)
    assert (first.created, second.created, second.updated, second.unchanged) == (6, 0, 0, 6)
    assert Topic.objects.filter(competence__code="2.1").count() == 2
    assert Skill.objects.filter(topic__competence__code="2.1").count() == 6


@pytest.mark.usefixtures("empty_bank")
def test_a_change_in_a_file_updates_its_challenge(tmp_path):
    bank_load(directory=write(tmp_path, VALID))
    report = bank_load(directory=write(tmp_path, VALID.replace("Le couper", "Le désactiver")))
    assert report.updated == 1
    assert Challenge.objects.get(ref="2.1-visio-1a").proposals[0] == "Le désactiver"


@pytest.mark.usefixtures("empty_bank")
def test_a_challenge_gone_from_the_files_is_switched_off_not_deleted(tmp_path):
    bank_load(directory=write(tmp_path, VALID))
    without = VALID.replace('ref = "2.1-courriel-3a"', 'ref = "2.1-courriel-3b"')
    report = bank_load(directory=write(tmp_path, without))
    assert report.deactivated >= 1
    assert Challenge.objects.get(ref="2.1-courriel-3a").is_active is False
    assert Challenge.objects.get(ref="2.1-courriel-3b").is_active is True


@pytest.mark.usefixtures("empty_bank")
def test_a_challenge_switched_off_in_the_admin_stays_off(tmp_path):
    bank_load(directory=write(tmp_path, VALID))
    Challenge.objects.filter(ref="2.1-visio-1a").update(is_active=False)
    bank_load(directory=tmp_path)
    assert Challenge.objects.get(ref="2.1-visio-1a").is_active is False


@pytest.mark.usefixtures("empty_bank")
def test_load_bank_command_fails_loudly_naming_file_and_ref(tmp_path):
    write(tmp_path, VALID.replace("answer = [1, 2]", "answer = [2]"))
    with pytest.raises(CommandError, match=r"2\.1\.toml: 2\.1-courriel-2a"):
        call_command("load_bank", dossier=str(tmp_path))
    assert not Challenge.objects.filter(ref__startswith="2.1-").exists()


@pytest.mark.usefixtures("empty_bank")
def test_load_bank_command_says_what_the_bank_still_lacks(tmp_path, capsys):
    call_command("load_bank", dossier=str(write(tmp_path, VALID)))
    output = plain(capsys.readouterr().out)
    assert "6 épreuve(s) créée(s)" in output
    assert "6 épreuves dans la banque, au moins 200 attendues" in output


@pytest.mark.usefixtures("empty_bank")
def test_the_admin_checks_a_challenge_with_the_rules_of_the_files():
    challenge = ChallengeFactory.build(kind=Challenge.Kind.MULTIPLE, solution=[1])
    with pytest.raises(ValidationError) as raised:
        challenge.clean()
    assert "multiple : au moins deux bonnes réponses attendues, answer = [1]" in map(
        plain, raised.value.messages
    )
