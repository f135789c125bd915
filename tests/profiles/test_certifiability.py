import pytest

from profiles.certifiability import (
    certifiable_competences_count,
    is_certifiable,
    is_competence_certifiable,
    missing_competences_for_certifiability,
)


@pytest.mark.parametrize(("level", "expected"), [(0, False), (1, True), (5, True)])
def test_competence_is_certifiable_from_level_one(level, expected):
    assert is_competence_certifiable(level) is expected


def test_level_zero_never_counts():
    assert certifiable_competences_count([0] * 16) == 0
    assert certifiable_competences_count([0, 1, 0, 3, 5]) == 3


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([1, 1, 1, 1] + [0] * 12, False),
        ([1, 1, 1, 1, 1] + [0] * 11, True),
        ([5, 5, 5, 5] + [0] * 12, False),
        ([1] * 16, True),
    ],
)
def test_certifiable_needs_five_competences_at_level_one(levels, expected):
    assert is_certifiable(levels) is expected


@pytest.mark.parametrize(("count", "missing"), [(0, 5), (4, 1), (5, 0), (16, 0)])
def test_missing_competences_for_certifiability(count, missing):
    assert missing_competences_for_certifiability(count) == missing
