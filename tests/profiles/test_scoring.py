import pytest

from profiles.factories import CompetenceFactory, CompetencePixFactory
from profiles.framework import AREAS, COMPETENCE_CODES, COMPETENCES
from profiles.scoring import (
    CompetenceResult,
    capped_pix,
    competences_closest_to_level_one,
    level_for_pix,
    summarize_profile,
)
from profiles.services import profile_summary_for_user


def test_framework_has_5_areas_and_16_competences_with_pix_codes():
    assert [area.code for area in AREAS] == ["1", "2", "3", "4", "5"]
    assert COMPETENCE_CODES == (
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
        "4.1",
        "4.2",
        "4.3",
        "5.1",
        "5.2",
    )
    assert all(competence.code.startswith(competence.area.code + ".") for competence in COMPETENCES)


@pytest.mark.parametrize(
    ("pix", "level"),
    [(0, 0), (7, 0), (8, 1), (15, 1), (16, 2), (39, 4), (40, 5), (41, 5), (1000, 5)],
)
def test_level_is_pix_divided_by_8_capped_at_max_reachable_level(pix, level):
    assert level_for_pix(pix, max_level=5) == level


def test_raising_max_reachable_level_lets_pix_beyond_40_count():
    assert level_for_pix(48, max_level=6) == 6
    assert capped_pix(48, max_level=6) == 48
    assert capped_pix(48, max_level=5) == 40


def test_negative_pix_is_refused():
    with pytest.raises(ValueError, match="negative"):
        capped_pix(-1, max_level=5)


def test_score_is_sum_of_capped_pix_and_missing_competences_count_zero():
    summary = summarize_profile({"1.1": 7, "1.2": 8, "5.2": 100}, max_level=5)
    assert summary.pix_score == 7 + 8 + 40
    assert summary.competences["1.1"].level == 0
    assert summary.competences["1.2"].level == 1
    assert summary.competences["5.2"].pix == 40
    assert summary.competences["3.4"].pix == 0
    assert len(summary.competences) == 16


def test_maximum_score_is_896_at_level_7_as_pix_runs_today():
    summary = summarize_profile(dict.fromkeys(COMPETENCE_CODES, 999), max_level=7)
    assert summary.pix_score == 896
    assert summary.competences["1.1"] == CompetenceResult(pix=56, level=7)


def test_level_7_boundaries():
    assert level_for_pix(55, max_level=7) == 6
    assert level_for_pix(56, max_level=7) == 7
    assert level_for_pix(57, max_level=7) == 7
    assert capped_pix(64, max_level=7) == 56


def test_default_setting_is_level_7():
    from django.conf import settings as django_settings

    assert django_settings.PIX_MAX_REACHABLE_LEVEL == 7


def test_maximum_score_is_640_at_level_5():
    summary = summarize_profile(dict.fromkeys(COMPETENCE_CODES, 999), max_level=5)
    assert summary.pix_score == 640
    assert summary.certifiable_competences_count == 16


def test_unknown_competence_code_is_an_error():
    with pytest.raises(ValueError, match=r"9\.9"):
        summarize_profile({"9.9": 8}, max_level=5)


def test_empty_profile_is_not_certifiable_and_misses_five_competences():
    summary = summarize_profile({}, max_level=5)
    assert summary.pix_score == 0
    assert summary.certifiable_competences_count == 0
    assert not summary.is_certifiable
    assert summary.missing_competences_for_certifiability == 5


def test_fifth_level_one_competence_makes_profile_certifiable():
    four = summarize_profile(dict.fromkeys(COMPETENCE_CODES[:4], 8), max_level=5)
    five = summarize_profile(dict.fromkeys(COMPETENCE_CODES[:5], 8), max_level=5)
    assert (four.is_certifiable, four.missing_competences_for_certifiability) == (False, 1)
    assert (five.is_certifiable, five.missing_competences_for_certifiability) == (True, 0)


def test_many_pix_below_level_one_never_make_a_profile_certifiable():
    summary = summarize_profile(dict.fromkeys(COMPETENCE_CODES, 7), max_level=5)
    assert summary.pix_score == 16 * 7
    assert not summary.is_certifiable


@pytest.mark.django_db
def test_live_profile_is_summarised_from_the_pix_stored_per_competence():
    entry = CompetencePixFactory(competence=CompetenceFactory(code="3.4"), pix=17)
    CompetencePixFactory(user=entry.user, competence=CompetenceFactory(code="5.1"), pix=60)
    summary = profile_summary_for_user(user=entry.user)
    assert summary.competences["3.4"] == CompetenceResult(pix=17, level=2)
    assert summary.competences["5.1"] == CompetenceResult(pix=56, level=7)
    assert summary.pix_score == 17 + 56
    assert entry.competence.area.title == "Création de contenu"


def test_competences_closest_to_level_one_come_first():
    snapshot = {
        "1.1": {"pix": 16, "level": 2},
        "1.2": {"pix": 7, "level": 0},
        "2.1": {"pix": 3, "level": 0},
        "3.4": {"pix": 7, "level": 0},
        "5.2": {"pix": 0, "level": 0},
    }
    assert competences_closest_to_level_one(snapshot) == ["1.2", "3.4", "2.1"]
    assert competences_closest_to_level_one(snapshot, limit=5)[3:] == ["1.3", "2.2"]


def test_competences_closest_to_level_one_reads_a_live_summary():
    summary = summarize_profile({"4.1": 6, "1.1": 8}, max_level=7)
    assert competences_closest_to_level_one(summary.competences, limit=2) == ["4.1", "1.2"]
