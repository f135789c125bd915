import datetime

import pytest

from accounts.factories import OrganizationFactory, UserFactory
from students.factories import OrganizationLearnerFactory
from students.names import normalize_name
from students.services import ReconciliationError, learner_for_participant, learner_reconcile

BIRTH = datetime.date(2008, 5, 14)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Éloïse", "eloise"),
        ("  LEFÈVRE-ROUX ", "lefevre roux"),
        ("N'Diaye", "n diaye"),
        ("N’Diaye", "n diaye"),
        ("Jean  Pierre", "jean pierre"),
        ("Ça", "ca"),
    ],
)
def test_names_compare_without_case_accents_or_separators(typed, expected):
    assert normalize_name(typed) == expected


def _reconcile(organization, *, user, first_name="Éloïse", last_name="Lefèvre-Roux", birthdate=BIRTH):
    return learner_reconcile(
        organization=organization, user=user, first_name=first_name, last_name=last_name, birthdate=birthdate
    )


@pytest.fixture
def roster(db):
    organization = OrganizationFactory()
    learner = OrganizationLearnerFactory(
        organization=organization, first_name="Éloïse", last_name="Lefèvre-Roux", birthdate=BIRTH, user=None
    )
    return organization, learner


def test_match_links_the_account_for_good(roster):
    organization, learner = roster
    user = UserFactory()
    linked = learner_reconcile(
        organization=organization, user=user, first_name="eloise", last_name="LEFEVRE ROUX", birthdate=BIRTH
    )
    assert linked == learner
    learner.refresh_from_db()
    assert learner.user == user
    assert learner_for_participant(organization=organization, user=user) == learner


def test_same_pupil_again_is_fine(roster):
    organization, _ = roster
    user = UserFactory()
    for _ in range(2):
        _reconcile(organization, user=user)


def test_other_birthdate_is_no_match(roster):
    organization, _ = roster
    with pytest.raises(ReconciliationError, match="Nous n'avons pas trouvé"):
        _reconcile(organization, user=UserFactory(), birthdate=BIRTH + datetime.timedelta(days=1))


def test_pupil_of_another_school_is_no_match(roster):
    with pytest.raises(ReconciliationError):
        _reconcile(OrganizationFactory(), user=UserFactory())


def test_disabled_pupil_is_no_match(roster):
    organization, learner = roster
    learner.is_disabled = True
    learner.save()
    with pytest.raises(ReconciliationError):
        _reconcile(organization, user=UserFactory())


def test_pupil_already_linked_to_another_account_is_refused(roster):
    organization, learner = roster
    learner.user = UserFactory()
    learner.save()
    with pytest.raises(ReconciliationError, match="déjà rattaché à un autre compte"):
        _reconcile(organization, user=UserFactory())


def test_account_already_linked_to_another_pupil_is_refused(roster):
    organization, _ = roster
    user = UserFactory()
    OrganizationLearnerFactory(organization=organization, user=user)
    with pytest.raises(ReconciliationError, match="déjà rattaché à un autre élève"):
        _reconcile(organization, user=user)


def test_homonyms_born_the_same_day_are_left_to_the_teacher(roster):
    organization, _ = roster
    OrganizationLearnerFactory(
        organization=organization, first_name="Eloise", last_name="Lefevre Roux", birthdate=BIRTH, user=None
    )
    with pytest.raises(ReconciliationError):
        _reconcile(organization, user=UserFactory())


def test_school_does_not_make_up_a_learner(roster):
    organization, _ = roster
    assert learner_for_participant(organization=organization, user=UserFactory()) is None
